package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestValuesUnderParentKeys reads values files that nest the chart under
// one (BinderHub, DaskHub) and two (basehub) parent chart keys: their
// hub.config, extraConfig and chart-level keys are the deployment's.
func TestValuesUnderParentKeys(t *testing.T) {
	for _, tc := range []struct {
		file  string
		path  []string
		want  map[string]string // trait -> via ("" for extraConfig Python)
		lines map[string]int
	}{
		{"binderhub.yaml", []string{"jupyterhub"},
			map[string]string{"BinderSpawner.auth_enabled": "jupyterhub.hub.config.BinderSpawner.auth_enabled",
				"JupyterHub.admin_access": "jupyterhub.hub.config.JupyterHub.admin_access", "KubeSpawner.working_dir": ""},
			map[string]int{"JupyterHub.admin_access": 13, "KubeSpawner.working_dir": 16}},
		{"basehub.yaml", []string{"basehub.jupyterhub"},
			map[string]string{"JupyterHub.db_url": "basehub.jupyterhub.hub.db.type", "JupyterHub.authenticator_class": "basehub.jupyterhub.hub.config.JupyterHub.authenticator_class",
				"GitHubOAuthenticator.allowed_organizations": "basehub.jupyterhub.hub.config.GitHubOAuthenticator.allowed_organizations"},
			map[string]int{"JupyterHub.authenticator_class": 16}},
		{"daskhub.yaml", []string{"jupyterhub"},
			map[string]string{"KubeSpawner.image": "jupyterhub.singleuser.image", "KubeSpawner.environment": "jupyterhub.singleuser.extraEnv"},
			map[string]int{"KubeSpawner.image": 5}},
	} {
		f, err := Collect(Options{Files: []string{filepath.Join("testdata", "z2jh", tc.file)}})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		var paths []string
		for _, c := range f.Charts {
			paths = append(paths, c.Path)
		}
		if !reflect.DeepEqual(paths, tc.path) {
			t.Errorf("%s: charts at %q, want %q", tc.file, paths, tc.path)
		}
		got := map[string]string{}
		line := map[string]int{}
		for _, a := range f.Assignments {
			if a.Via == "chart default" {
				continue
			}
			got[a.Trait] = a.Via
			line[a.Trait] = a.Line
		}
		for trait, via := range tc.want {
			if v, ok := got[trait]; !ok || v != via {
				t.Errorf("%s: %s via %q (set: %v), want %q", tc.file, trait, v, ok, via)
			}
		}
		for trait, l := range tc.lines {
			if line[trait] != l {
				t.Errorf("%s: %s at line %d, want %d", tc.file, trait, line[trait], l)
			}
		}
		if f.SpawnerClass == nil || f.SpawnerClass.Class != "KubeSpawner" {
			t.Errorf("%s: spawner %+v: the chart's default is KubeSpawner", tc.file, f.SpawnerClass)
		}
	}
}

// TestValuesChartFacts checks the keys and values recorded for the
// schema check and the slug rule.
func TestValuesChartFacts(t *testing.T) {
	f, err := Collect(Options{Files: []string{filepath.Join("testdata", "z2jh", "basehub.yaml")}})
	if err != nil {
		t.Fatal(err)
	}
	c := f.Charts[0]
	if c.Line != 8 {
		t.Errorf("chart line %d, want 8 (basehub.jupyterhub)", c.Line)
	}
	var imagee *ValuesKey
	for i, k := range c.Keys {
		if k.Key == "singleuser.imagee" {
			imagee = &c.Keys[i]
		}
	}
	if imagee == nil || imagee.Line != 18 || imagee.Column != 7 {
		t.Errorf("singleuser.imagee: %+v", imagee)
	}
	st, _ := c.Values["singleuser"].(map[string]any)["storage"].(map[string]any)
	if st["type"] != "static" {
		t.Errorf("values: %v", c.Values)
	}
}

// TestHelmGetValuesOutput reads the output of `helm get values --all`
// without -o yaml: a "COMPUTED VALUES:" line heads the values, whose
// hub.image names the installed chart's hub image.
func TestHelmGetValuesOutput(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "values")
	src := "COMPUTED VALUES:\nhub:\n  image:\n    name: quay.io/jupyterhub/k8s-hub\n    tag: 3.3.8\n  config:\n    JupyterHub:\n      admin_access: true\nsingleuser:\n  storage:\n    type: dynamic\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Collect(Options{Files: []string{p}})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Charts) != 1 || f.Charts[0].HubImage != "quay.io/jupyterhub/k8s-hub:3.3.8" {
		t.Fatalf("charts %+v", f.Charts)
	}
	found := false
	for _, a := range f.Assignments {
		found = found || a.Trait == "JupyterHub.admin_access" && a.Line == 8
	}
	if !found {
		t.Errorf("hub.config not read: %+v", f.Assignments)
	}
}
