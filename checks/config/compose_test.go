package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReadComposeDeployDocker reads a deployment laid out as
// jupyterhub/jupyterhub-deploy-docker's basic example: the hub service,
// its environment (what the config's os.environ reads resolve to), the
// named volume at /data mapped to docker's volume directory, and the
// Dockerfile whose FROM takes the JUPYTERHUB_VERSION build argument
// ("latest": not a pin).
func TestReadComposeDeployDocker(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("testdata", "compose", "deploy-docker"))
	file := FindCompose(dir)
	if file != filepath.Join(dir, "docker-compose.yml") {
		t.Fatalf("FindCompose: %q", file)
	}
	c, err := ReadCompose(file)
	if err != nil {
		t.Fatal(err)
	}
	if c.Service != "hub" || c.Project != "deploy-docker" || c.Build == nil || c.Build.Args["JUPYTERHUB_VERSION"] != "latest" || c.Build.ArgLines["JUPYTERHUB_VERSION"] != 14 {
		t.Errorf("service %q project %q build %+v", c.Service, c.Project, c.Build)
	}
	if c.Environ()["DOCKER_NOTEBOOK_IMAGE"] != "quay.io/jupyter/base-notebook:latest" || c.Environ()["DOCKER_NETWORK_NAME"] != "hubnet" {
		t.Errorf("environment %v", c.Environ())
	}
	for in, want := range map[string]string{
		"/data/jupyterhub.sqlite":              "/var/lib/docker/volumes/deploy-docker_hub-state/_data/jupyterhub.sqlite",
		"/srv/jupyterhub/jupyterhub_config.py": filepath.Join(dir, "jupyterhub_config.py"),
		"/srv/jupyterhub/other":                "",
	} {
		if got := c.HostPath(in); got != want {
			t.Errorf("HostPath(%s) = %q, want %q", in, got, want)
		}
	}
	d := c.Dockerfile
	if d == nil {
		t.Fatal("no Dockerfile")
	}
	if d.From != "quay.io/jupyterhub/jupyterhub:latest" || d.PinArg != "JUPYTERHUB_VERSION" || d.JupyterHub != "" || d.PinLine != 4 ||
		d.Unpinned != "FROM quay.io/jupyterhub/jupyterhub:latest takes the newest jupyterhub release on the day it builds" {
		t.Errorf("Dockerfile %+v", d)
	}
	if _, ok := d.Packages["dockerspawner"]; !ok {
		t.Errorf("packages %v", d.Packages)
	}
}

// TestDockerfilePins: only a full release tag, a digest or a pinned pip
// install pins jupyterhub; latest, no tag, line tags (jupyterhub's release
// workflow moves X and X.Y to each release), branch tags and an unpinned
// pip install do not.
func TestDockerfilePins(t *testing.T) {
	for _, c := range []struct {
		src, version, unpinned string
	}{
		{"FROM quay.io/jupyterhub/jupyterhub:5.2.1\n", "5.2.1", ""},
		{"FROM jupyterhub/jupyterhub:5.0.0b1\n", "5.0.0b1", ""},
		{"FROM quay.io/jupyterhub/jupyterhub:latest@sha256:0123abcd\n", "", ""},
		{"FROM quay.io/jupyterhub/jupyterhub\n", "", "FROM quay.io/jupyterhub/jupyterhub has no tag, which is latest: each build takes the newest jupyterhub release that day"},
		{"FROM quay.io/jupyterhub/jupyterhub:5.2\n", "", "FROM quay.io/jupyterhub/jupyterhub:5.2: tag 5.2 moves to each new 5.2.x release"},
		{"ARG V=5\nFROM quay.io/jupyterhub/jupyterhub:${V}\n", "", "FROM quay.io/jupyterhub/jupyterhub:5: tag 5 moves to each new 5.x release"},
		{"FROM quay.io/jupyterhub/jupyterhub:main\n", "", "FROM quay.io/jupyterhub/jupyterhub:main: tag main is not a release version (a branch build), and moves"},
		{"FROM python:3.12-slim\nRUN pip install jupyterhub oauthenticator\n", "", "pip install jupyterhub pins no release: each build installs the newest jupyterhub it allows on PyPI that day"},
		{"FROM python:3.12-slim\nRUN pip install 'jupyterhub==5.2.1'\n", "5.2.1", ""},
		{"FROM python:3.12-slim\nRUN pip install jupyterhub>=5\n", "", "pip install jupyterhub>=5 pins no release: each build installs the newest jupyterhub it allows on PyPI that day"},
		{"FROM quay.io/jupyterhub/jupyterhub:5.2.1\nRUN pip install jupyterhub dockerspawner\n", "5.2.1", ""},
		{"FROM quay.io/jupyterhub/jupyterhub:5.2.1\nRUN pip install -U jupyterhub\n", "", "pip install jupyterhub pins no release: each build installs the newest jupyterhub it allows on PyPI that day"},
		{"FROM python:3.12-slim\nRUN pip install dockerspawner\n", "", ""},
	} {
		p := filepath.Join(t.TempDir(), "Dockerfile")
		if err := os.WriteFile(p, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := ReadDockerfile(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d.JupyterHub != c.version || d.Unpinned != c.unpinned {
			t.Errorf("%q: version %q unpinned %q, want %q %q", c.src, d.JupyterHub, d.Unpinned, c.version, c.unpinned)
		}
	}
}
