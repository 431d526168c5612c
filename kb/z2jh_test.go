package kb

import (
	"strings"
	"testing"
)

// TestChartReleases checks the chart -> JupyterHub mapping against what
// the chart's images/hub/requirements.txt pins at those tags.
func TestChartReleases(t *testing.T) {
	if err := CheckZ2JH(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ chart, want, jupyterhub, kubespawner, user string }{
		{"3.3.8", "3.3.8", "4.1.6", "6.2.0", "4.1.6"},
		{"4.0.0", "4.0.0", "5.2.1", "7.0.0", "5.2.1"},
		{"4.4.0", "4.4.0", "5.5.0", "7.0.0", "5.5.0"},
		{"v4.0.0", "4.0.0", "5.2.1", "7.0.0", "5.2.1"},
		{"4.0.0-beta.1", "4.0.0-beta.1", "5.1.0", "7.0.0b1", "5.1.0"},
		{"3.3", "3.3.8", "4.1.6", "6.2.0", "4.1.6"},
		{"3", "3.3.8", "4.1.6", "6.2.0", "4.1.6"},
		{"1.0.0", "1.0.0", "1.4.1", "1.0.0", "1.4.1"},
	} {
		c, err := ResolveChart(tc.chart)
		if err != nil {
			t.Fatalf("%s: %v", tc.chart, err)
		}
		if c.Version != tc.want || c.JupyterHub.String() != tc.jupyterhub || c.KubeSpawner.String() != tc.kubespawner || c.SingleuserJupyterHub.String() != tc.user {
			t.Errorf("%s: got chart %s jupyterhub %s kubespawner %s single-user %s", tc.chart, c.Version, c.JupyterHub, c.KubeSpawner, c.SingleuserJupyterHub)
		}
		pins := c.HubPins()
		if pins["jupyterhub"] != tc.jupyterhub || pins["jupyterhub-kubespawner"] != tc.kubespawner {
			t.Errorf("%s: hub pins %v", tc.chart, pins)
		}
	}
	if c, _ := ResolveChart("4.4.0"); c.HubPins()["oauthenticator"] != "17.4.0" {
		t.Errorf("4.4.0 oauthenticator = %q", c.HubPins()["oauthenticator"])
	}
	latest, _ := ResolveChart("latest")
	if latest.Version != "4.4.0" {
		t.Errorf("latest = %s", latest.Version)
	}
	for _, bad := range []string{"9.9.9", "", "chart", "4.0"} {
		if bad == "4.0" {
			if c, err := ResolveChart(bad); err != nil || c.Version != "4.0.0" {
				t.Errorf("4.0: %v %v", c, err)
			}
			continue
		}
		if _, err := ResolveChart(bad); err == nil {
			t.Errorf("%q resolved", bad)
		}
	}
}

func TestChartImagesAndDefaults(t *testing.T) {
	c, _ := ResolveChart("4.4.0")
	im := c.Images()
	if im["singleuser.image"] != "quay.io/jupyterhub/k8s-singleuser-sample:4.4.0" || im["hub.image"] != "quay.io/jupyterhub/k8s-hub:4.4.0" {
		t.Errorf("images: %v", im)
	}
	old, _ := ResolveChart("3.1.0")
	if got := old.Images()["singleuser.image"]; got != "jupyterhub/k8s-singleuser-sample:3.1.0" {
		t.Errorf("3.1.0 singleuser.image = %s", got)
	}
	if got := c.DefaultString("singleuser.storage.static.subPath"); got != "{username}" {
		t.Errorf("static.subPath = %q", got)
	}
	if got := c.DefaultString("hub.db.type"); got != "sqlite-pvc" {
		t.Errorf("hub.db.type = %q", got)
	}
	c338, _ := ResolveChart("3.3.8")
	if got := c338.DefaultString("singleuser.storage.dynamic.pvcNameTemplate"); got != "claim-{username}{servername}" {
		t.Errorf("3.3.8 pvcNameTemplate = %q", got)
	}
	if v, ok := c.Default("singleuser.storage.dynamic.pvcNameTemplate"); !ok || v != nil {
		t.Errorf("4.4.0 pvcNameTemplate = %v %v", v, ok)
	}
	for ref, want := range map[string]string{
		"quay.io/jupyterhub/k8s-hub:3.3.8":                "3.3.8",
		"jupyterhub/k8s-hub:3.1.0":                        "3.1.0",
		"quay.io/jupyterhub/k8s-hub:9.9.9":                "",
		"quay.io/jupyterhub/k8s-singleuser-sample:3.3.8":  "",
		"quay.io/jupyterhub/k8s-hub":                      "",
		"quay.io/jupyterhub/k8s-hub:3.3.8@sha256:0123abc": "",
	} {
		c, ok := ChartOfHubImage(ref)
		if got := ""; ok {
			got = c.Version
			if got != want {
				t.Errorf("%s: chart %s, want %q", ref, got, want)
			}
		} else if want != "" {
			t.Errorf("%s: no chart, want %s", ref, want)
		}
	}
	if c, ok := ChartOfSingleuserImage("quay.io/jupyterhub/k8s-singleuser-sample:3.3.8"); !ok || c.SingleuserJupyterHub.String() != "4.1.6" {
		t.Errorf("sample image 3.3.8: %v %v", c, ok)
	}
}

// TestChartSchema checks the key lookups against values.schema.yaml of
// the chart releases.
func TestChartSchema(t *testing.T) {
	c, _ := ResolveChart("4.4.0")
	if !c.HasSchema() {
		t.Fatal("4.4.0 has no schema")
	}
	for _, tc := range []struct {
		parent, child, key string
		ok, known          bool
	}{
		{".", "singleuser", "singleuser", true, true},
		{".", "singleusers", "", false, true},
		{"singleuser", "image", "singleuser.image", true, true},
		{"singleuser", "imagee", "", false, true},
		{"hub.config", "JupyterHub", "hub.config.JupyterHub", true, true},
		{"hub.config", "GitHubOAuthenticator", "hub.config.*", true, true},
		{"hub.config", "jupyterhub", "", false, true},
		{"hub.extraConfig", "anything", "", false, false},
		{"hub.labels", "app", "hub.labels.*", true, true},
		{"singleuser.image.name", "x", "", false, false},
	} {
		key, ok, known := c.SchemaChild(tc.parent, tc.child)
		if key != tc.key || ok != tc.ok || known != tc.known {
			t.Errorf("%s / %s: got %q %v %v", tc.parent, tc.child, key, ok, known)
		}
	}
	// hub.config took any key before 4.3.0.
	c42, _ := ResolveChart("4.2.0")
	if _, _, known := c42.SchemaChild("hub.config", "jupyterhub"); known {
		t.Error("4.2.0 hub.config is open")
	}
	old, _ := ResolveChart("2.0.0")
	if old.HasSchema() {
		t.Error("2.0.0 has no values.schema.yaml")
	}
	kids := strings.Join(c.SchemaChildren("singleuser.image"), ",")
	if kids != "name,pullPolicy,pullSecrets,tag" {
		t.Errorf("singleuser.image children: %s", kids)
	}
}

func TestKubeSpawnerTemplated(t *testing.T) {
	for trait, want := range map[string]string{"volume_mounts": "data", "pvc_name_template": "remembered", "environment": "value", "extra_labels": "name", "image": ""} {
		got, ok := KubeSpawnerTemplated(trait)
		if got != want || ok != (want != "") {
			t.Errorf("%s: %q %v", trait, got, ok)
		}
	}
	if SafeSlugSince().String() != "7.0.0" {
		t.Errorf("SafeSlugSince = %s", SafeSlugSince())
	}
}
