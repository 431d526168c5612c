package audit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

func TestResolveChartTarget(t *testing.T) {
	k := kb.MustLoad()
	for spec, want := range map[string]string{"chart:4.0.0": "5.2.1", "chart:3.3.8": "4.1.6", "chart:4.4.0": "5.5.0", "chart:latest": "5.5.0", "5.2.1": "5.2.1"} {
		_, r, ch, err := resolveTarget(k, spec)
		if err != nil || r.Version.String() != want {
			t.Errorf("%s: %v %v", spec, r, err)
		}
		if (ch != nil) != (spec != "5.2.1") {
			t.Errorf("%s: chart %v", spec, ch)
		}
	}
	var ue *UsageError
	if _, _, _, err := resolveTarget(k, "chart:9.9.9"); !errors.As(err, &ue) || ue.Hint == "" {
		t.Errorf("chart:9.9.9: %v", err)
	}
}

func TestChartFromHelmList(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "helm-list.json")
	os.WriteFile(p, []byte(`[{"name":"dask","chart":"dask-gateway-2024.1.0"},{"name":"jhub","namespace":"jhub","revision":"7","status":"deployed","chart":"jupyterhub-3.3.8","app_version":"4.1.6"}]`), 0o644)
	ch, from, rel, err := currentChart(Options{ChartVersion: p}, nil)
	if err != nil || ch.Version != "3.3.8" || from != "helm list (release jhub)" || rel.Name != "jhub" || rel.Namespace != "jhub" {
		t.Errorf("%v %q %v %v", ch, from, rel, err)
	}
	os.WriteFile(p, []byte(`not json`), 0o644)
	if _, _, _, err := currentChart(Options{ChartVersion: p}, nil); err == nil {
		t.Error("bad helm list accepted")
	}
	if _, _, _, err := currentChart(Options{ChartVersion: "3.9.9"}, nil); err == nil {
		t.Error("unknown chart accepted")
	}
}

// TestChartPlanVars: what the z2jh plan's commands need, from the charts
// and the values (the chart's hub deployment runs --upgrade-db for
// sqlite-pvc unless hub.db.upgrade says otherwise).
func TestChartPlanVars(t *testing.T) {
	cur, _ := kb.ResolveChart("3.3.8")
	tgt, _ := kb.ResolveChart("4.0.0")
	c := &rules.Charts{Current: cur, Target: tgt, Release: "jhub", Namespace: "hubs"}
	for values, want := range map[string][2]string{
		"hub:\n  config: {}\n":                                          {"yes", "sqlite-pvc"},
		"hub:\n  db:\n    upgrade: false\n":                             {"no", "sqlite-pvc"},
		"hub:\n  db:\n    type: postgres\n    url: postgresql://h/db\n": {"no", "postgres"},
		"hub:\n  db:\n    type: postgres\n    upgrade: true\n":          {"yes", "postgres"},
	} {
		cf := config.AnalyzeSource("values.yaml", []byte(values))
		v := c.PlanVars(cf, "")
		if v["db_auto_upgrade"] != want[0] || v["db_type"] != want[1] || v["release"] != "jhub" || v["chart"] != "4.0.0" || v["values"] != "values.yaml" {
			t.Errorf("%q: %v", values, v)
		}
		if (v["db_backup"] != "") != (want[1] == "sqlite-pvc") || want[1] == "sqlite-pvc" && (!strings.Contains(v["db_backup"], "kubectl -n hubs cp -c hub \"$(kubectl -n hubs get pod -l component=hub,release=jhub ") ||
			!strings.Contains(v["db_snapshot"], ".backup(d)")) {
			t.Errorf("%q: backup %q", values, v["db_backup"])
		}
	}
	// The copy goes to the file the audit read, and the values file is
	// named by its path: the commands run where the audit ran.
	cf := config.AnalyzeSource("my hub/values.yaml", []byte("hub:\n  config: {}\n"))
	v := c.PlanVars(cf, "my hub/jupyterhub.sqlite")
	if v["values"] != "'my hub/values.yaml'" || !strings.HasSuffix(v["db_backup"], ":/srv/jupyterhub/jupyterhub.sqlite.hubaudit-copy\" 'my hub/jupyterhub.sqlite'") || v["db_local"] != "my hub/jupyterhub.sqlite" {
		t.Errorf("paths: values %s, backup %s, local %s", v["values"], v["db_backup"], v["db_local"])
	}
}
