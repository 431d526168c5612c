package main

import (
	"fmt"
	"path/filepath"

	"github.com/hubaudit/hubaudit/kb/kbdata"
)

// genZ2JH writes z2jh_gen.go from the Zero to JupyterHub tables in dir
// (kb/facts/z2jh, see its README.md).
func genZ2JH(dir, out string) error {
	var z kbdata.Z2JH
	charts, err := readTSV(filepath.Join(dir, "charts.tsv"))
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, r := range charts {
		z.Charts = append(z.Charts, kbdata.ChartRelease{Version: r["chart"], Prerelease: r["prerelease"] == "yes", Date: r["date"],
			AppVersion: r["app_version"], JupyterHub: r["jupyterhub"], KubeSpawner: r["kubespawner"], SingleuserJupyterHub: r["singleuser_jupyterhub"]})
		known[r["chart"]] = true
	}
	facts := func(name, key, value string) ([]kbdata.ChartFact, error) {
		t, err := readTSV(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		var out []kbdata.ChartFact
		for i, r := range t {
			if !known[r["first_chart"]] || !known[r["last_chart"]] {
				return nil, fmt.Errorf("%s:%d: chart %s..%s is not in charts.tsv", name, i+2, r["first_chart"], r["last_chart"])
			}
			out = append(out, kbdata.ChartFact{Key: r[key], Value: r[value], First: r["first_chart"], Last: r["last_chart"]})
		}
		return out, nil
	}
	for _, t := range []struct {
		file, key, value string
		dst              *[]kbdata.ChartFact
	}{
		{"hub_pins.tsv", "package", "version", &z.HubPins},
		{"singleuser_pins.tsv", "package", "version", &z.SingleuserPins},
		{"images.tsv", "key", "image", &z.Images},
		{"values_defaults.tsv", "key", "value", &z.Defaults},
		{"schema_keys.tsv", "key", "node", &z.SchemaKeys},
	} {
		if *t.dst, err = facts(t.file, t.key, t.value); err != nil {
			return err
		}
	}
	templates, err := readTSV(filepath.Join(dir, "kubespawner_templates.tsv"))
	if err != nil {
		return err
	}
	for _, r := range templates {
		switch r["effect"] {
		case "data", "remembered", "value", "name":
		default:
			return fmt.Errorf("kubespawner_templates.tsv: %s: unknown effect %q", r["trait"], r["effect"])
		}
		z.Templated = append(z.Templated, kbdata.TemplatedTrait{Trait: r["trait"], Effect: r["effect"]})
	}
	ks, err := readTSV(filepath.Join(dir, "kubespawner.tsv"))
	if err != nil {
		return err
	}
	for _, r := range ks {
		if r["fact"] == "safe_scheme_default_since" {
			z.SafeSlugSince = r["value"]
		}
	}
	if z.SafeSlugSince == "" {
		return fmt.Errorf("kubespawner.tsv: no safe_scheme_default_since")
	}
	return writeGo(filepath.Join(out, "z2jh_gen.go"), "embeddedZ2JH", "holds what each Zero to JupyterHub chart release ships.", z)
}
