package env

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// dpkgStatus is Debian's package database (a variable for tests).
var dpkgStatus = "/var/lib/dpkg/status"

// findNode finds the version of the Node.js that runs configurable-http-
// proxy without running it: the nodejs package of a conda environment,
// node_version.h of the prefix the node command belongs to (official
// builds and NodeSource ship it), or Debian's package database when that
// command is /usr/bin/node. Only the nodejs package counts for an exported
// package list. It returns "" when none says.
func findNode(e *Environment, pathEnv string) (version, from string) {
	if v := e.Packages["nodejs"]; v != "" {
		return v, "the nodejs package of " + e.Path
	}
	if e.Kind != KindPrefix {
		// An exported package list may come from another machine:
		// this machine's node says nothing about it.
		return "", ""
	}
	prefixes := []string{e.Path}
	node := lookPath("node", pathEnv)
	if node != "" {
		if real, err := filepath.EvalSymlinks(node); err == nil {
			node = real
		}
		prefixes = append(prefixes, filepath.Dir(filepath.Dir(node)))
	}
	for _, p := range prefixes {
		h := filepath.Join(p, "include", "node", "node_version.h")
		if v := nodeVersionHeader(h); v != "" {
			return v, h
		}
	}
	if node == "/usr/bin/node" {
		if v := dpkgVersion(dpkgStatus, "nodejs"); v != "" {
			return v, dpkgStatus
		}
	}
	return "", ""
}

// nodeVersionHeader reads NODE_MAJOR/MINOR/PATCH_VERSION from node_version.h.
func nodeVersionHeader(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	parts := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == "#define" {
			switch f[1] {
			case "NODE_MAJOR_VERSION", "NODE_MINOR_VERSION", "NODE_PATCH_VERSION":
				parts[f[1]] = f[2]
			}
		}
	}
	if len(parts) != 3 {
		return ""
	}
	return parts["NODE_MAJOR_VERSION"] + "." + parts["NODE_MINOR_VERSION"] + "." + parts["NODE_PATCH_VERSION"]
}

// dpkgVersion returns the upstream version of an installed Debian package
// ("18.19.0" for "18.19.0+dfsg-6~deb12u2"), "" when it is not installed.
func dpkgVersion(status, pkg string) string {
	data, err := os.ReadFile(status)
	if err != nil {
		return ""
	}
	for _, para := range bytes.Split(data, []byte("\n\n")) {
		var name, version, state string
		sc := bufio.NewScanner(bytes.NewReader(para))
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ": ")
			if !ok {
				continue
			}
			switch k {
			case "Package":
				name = v
			case "Version":
				version = v
			case "Status":
				state = v
			}
		}
		if name != pkg || !strings.HasSuffix(state, " installed") {
			continue
		}
		if i := strings.IndexByte(version, ':'); i >= 0 {
			version = version[i+1:]
		}
		if i := strings.IndexAny(version, "-+~"); i >= 0 {
			version = version[:i]
		}
		return version
	}
	return ""
}
