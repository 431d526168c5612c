package audit

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hubaudit/hubaudit/kb"
)

func TestResolveChartTarget(t *testing.T) {
	k := kb.MustLoad()
	for spec, want := range map[string]string{"chart:4.0.0": "5.2.1", "chart:3.3.8": "4.1.6", "chart:4.4.0": "5.5.0", "chart:latest": "5.5.0", "5.2.1": "5.2.1"} {
		r, ch, err := resolveTarget(k, spec)
		if err != nil || r.Version.String() != want {
			t.Errorf("%s: %v %v", spec, r, err)
		}
		if (ch != nil) != (spec != "5.2.1") {
			t.Errorf("%s: chart %v", spec, ch)
		}
	}
	var ue *UsageError
	if _, _, err := resolveTarget(k, "chart:9.9.9"); !errors.As(err, &ue) || ue.Hint == "" {
		t.Errorf("chart:9.9.9: %v", err)
	}
}

func TestChartFromHelmList(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "helm-list.json")
	os.WriteFile(p, []byte(`[{"name":"dask","chart":"dask-gateway-2024.1.0"},{"name":"jhub","namespace":"jhub","revision":"7","status":"deployed","chart":"jupyterhub-3.3.8","app_version":"4.1.6"}]`), 0o644)
	ch, from, err := currentChart(Options{ChartVersion: p}, nil)
	if err != nil || ch.Version != "3.3.8" || from != "helm list (release jhub)" {
		t.Errorf("%v %q %v", ch, from, err)
	}
	os.WriteFile(p, []byte(`not json`), 0o644)
	if _, _, err := currentChart(Options{ChartVersion: p}, nil); err == nil {
		t.Error("bad helm list accepted")
	}
	if _, _, err := currentChart(Options{ChartVersion: "3.9.9"}, nil); err == nil {
		t.Error("unknown chart accepted")
	}
}
