package env

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDpkgVersion(t *testing.T) {
	status := filepath.Join(t.TempDir(), "status")
	writeFile(t, status, "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u9\n\n"+
		"Package: nodejs\nStatus: deinstall ok config-files\nVersion: 12.22.12~dfsg-1~deb11u4\n\n"+
		"Package: nodejs\nStatus: install ok installed\nPriority: optional\nVersion: 1:18.19.0+dfsg-6~deb12u2\nDescription: evented I/O\n continuation line\n")
	if got := dpkgVersion(status, "nodejs"); got != "18.19.0" {
		t.Errorf("dpkgVersion = %q, want 18.19.0", got)
	}
	if got := dpkgVersion(status, "npm"); got != "" {
		t.Errorf("a package that is not installed: %q", got)
	}
	if got := dpkgVersion(filepath.Join(t.TempDir(), "none"), "nodejs"); got != "" {
		t.Errorf("no status file: %q", got)
	}
}

// TestFindNode: the node on PATH belongs to a prefix whose node_version.h
// names its version; the hub prefix's own header wins; an exported list
// only counts its nodejs package.
func TestFindNode(t *testing.T) {
	root := t.TempDir()
	nodePrefix := filepath.Join(root, "opt", "node-v20.20.2-linux-x64")
	writeFile(t, filepath.Join(nodePrefix, "include", "node", "node_version.h"),
		"#define NODE_MAJOR_VERSION 20\n#define NODE_MINOR_VERSION 20\n#define NODE_PATCH_VERSION 2\n")
	writeFile(t, filepath.Join(nodePrefix, "bin", "node"), "#!/bin/sh\n")
	if err := os.Chmod(filepath.Join(nodePrefix, "bin", "node"), 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "usr", "local", "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(nodePrefix, "bin", "node"), filepath.Join(bin, "node")); err != nil {
		t.Fatal(err)
	}
	hub := &Environment{Kind: KindPrefix, Path: filepath.Join(root, "hub")}
	if v, from := findNode(hub, bin); v != "20.20.2" || from != filepath.Join(nodePrefix, "include", "node", "node_version.h") {
		t.Errorf("node on PATH: %q from %q", v, from)
	}
	writeFile(t, filepath.Join(hub.Path, "include", "node", "node_version.h"),
		"#define NODE_MAJOR_VERSION 18\n#define NODE_MINOR_VERSION 20\n#define NODE_PATCH_VERSION 4\n")
	if v, _ := findNode(hub, bin); v != "18.20.4" {
		t.Errorf("the hub prefix's own node: %q", v)
	}
	conda := &Environment{Kind: KindPrefix, Path: hub.Path, Packages: map[string]string{"nodejs": "22.11.0"}}
	if v, _ := findNode(conda, bin); v != "22.11.0" {
		t.Errorf("conda nodejs package: %q", v)
	}
	export := &Environment{Kind: KindPipFreeze, Path: filepath.Join(root, "req.txt")}
	if v, from := findNode(export, bin); v != "" {
		t.Errorf("an export must not use this machine's node: %q from %q", v, from)
	}
}
