package deploy

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hubaudit/hubaudit/checks/env"
)

// Options are what detection looks at.
type Options struct {
	// Kind is --kind ("" to detect).
	Kind Kind
	// Dir is the deployment directory.
	Dir string
	// ConfigFiles are the --config arguments.
	ConfigFiles []string
	// Root is the audited machine's file system root for absolute probes
	// and /var/lib/dpkg ("" is "/"; tests point it at a directory).
	Root string
	// Explicit is true when the inputs name a config (--config, or a
	// jupyterhub_config.py in Dir): then the machine-wide places
	// (RootFile probes: /opt/tljh) do not decide the kind.
	Explicit bool
}

// Located is the result of the first detection phase.
type Located struct {
	Spec     *Spec
	From     string
	Evidence []string
	// Root is the directory the kind's Locations are relative to.
	Root string
}

// Locate runs the probes that need no collected facts. It returns the
// kind named by --kind, else the first kind one of whose path probes
// matched, else nil (the plain kinds are told apart after the hub
// environment was read).
func Locate(opts Options) *Located {
	if opts.Kind != "" {
		s, ok := Lookup(opts.Kind)
		if !ok {
			return nil
		}
		l := &Located{Spec: s, From: "flag"}
		for _, p := range s.Probes {
			if p.Phase() != BeforeCollect {
				continue
			}
			if ev, root, ok := probe(p, opts, nil); ok {
				l.Evidence = append(l.Evidence, ev)
				if l.Root == "" {
					l.Root = root
				}
			}
		}
		if l.Root == "" {
			l.Root = defaultRoot(s, opts)
		}
		return l
	}
	for _, s := range specs {
		for _, p := range s.Probes {
			if p.Phase() != BeforeCollect || p.Type == RootFile && opts.Explicit || p.Type == DirYAMLKey && len(opts.ConfigFiles) > 0 {
				continue
			}
			if ev, root, ok := probe(p, opts, nil); ok {
				return &Located{Spec: s, From: "detected", Evidence: []string{ev}, Root: root}
			}
		}
	}
	return nil
}

// defaultRoot is the root of a kind named by --kind whose probes found
// nothing: its first absolute probe's directory, else the deployment
// directory.
func defaultRoot(s *Spec, opts Options) string {
	for _, p := range s.Probes {
		if p.Type == RootFile {
			return filepath.Join(rootDir(opts), rootOf(p.Path))
		}
	}
	return opts.Dir
}

// rootOf is the directory a RootFile probe's kind lives in: the path up
// to its second component ("/opt/tljh/config/config.yaml" -> "/opt/tljh").
func rootOf(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) >= 2 {
		return "/" + parts[0] + "/" + parts[1]
	}
	return filepath.Dir(p)
}

func rootDir(opts Options) string {
	if opts.Root == "" {
		return "/"
	}
	return opts.Root
}

// probe evaluates one probe. It returns the evidence in words and the
// root directory the match implies.
func probe(p Probe, opts Options, hub *env.Environment) (evidence, root string, ok bool) {
	say := func(where string) string {
		if p.Why == "" {
			return where
		}
		return where + ": " + p.Why
	}
	switch p.Type {
	case DirFile:
		if m := glob(filepath.Join(opts.Dir, p.Path)); m != "" {
			return say(m), opts.Dir, true
		}
		// The deployment directory may be the kind's root or a directory
		// inside it (/opt/tljh/config).
		if m := glob(filepath.Join(filepath.Dir(filepath.Clean(opts.Dir)), p.Path)); m != "" && strings.Contains(p.Path, "/") {
			return say(m), filepath.Dir(filepath.Clean(opts.Dir)), true
		}
	case RootFile:
		if m := glob(filepath.Join(rootDir(opts), p.Path)); m != "" {
			return say(m), filepath.Join(rootDir(opts), rootOf(p.Path)), true
		}
	case ConfigFile:
		for _, f := range opts.ConfigFiles {
			if ok, _ := filepath.Match(p.Path, filepath.Base(f)); ok {
				return say(f), filepath.Dir(f), true
			}
		}
	case ConfigYAMLKey:
		for _, f := range opts.ConfigFiles {
			if ext := strings.ToLower(filepath.Ext(f)); ext != ".yaml" && ext != ".yml" {
				continue
			}
			if yamlHasKey(f, p.Path) {
				return say(f), filepath.Dir(f), true
			}
		}
	case DirYAMLKey:
		if f := filepath.Join(opts.Dir, p.Path); yamlHasKey(f, p.Key) {
			return say(f), opts.Dir, true
		}
	case PrefixFile:
		if hub != nil && hub.Kind == env.KindPrefix {
			if m := glob(filepath.Join(prefixOf(hub), p.Path)); m != "" {
				return say(m), prefixOf(hub), true
			}
		}
	case PrefixDpkg:
		if hub != nil && hub.Kind == env.KindPrefix {
			if pkg, list := dpkgOwner(rootDir(opts), hub); pkg != "" {
				return say(list + " (Debian package " + pkg + ")"), prefixOf(hub), true
			}
		}
	case HubExport:
		if hub != nil && hub.Kind != env.KindPrefix && hub.Readable() {
			return say(hub.Path), filepath.Dir(hub.Path), true
		}
	case HubPrefix:
		if hub != nil && hub.Kind == env.KindPrefix {
			return say(prefixOf(hub)), prefixOf(hub), true
		}
	}
	return "", "", false
}

// prefixOf is the directory of a prefix environment.
func prefixOf(e *env.Environment) string { return filepath.Clean(e.Path) }

// glob returns the first match of a pattern ("" when none).
func glob(pattern string) string {
	m, err := filepath.Glob(pattern)
	if err != nil || len(m) == 0 {
		return ""
	}
	sort.Strings(m)
	return m[0]
}

// yamlHasKey reports whether a YAML file's top-level mapping, or a
// mapping below any top-level key (a chart nested in a parent chart's
// values), has key.
func yamlHasKey(file, key string) bool {
	b, err := os.ReadFile(file)
	if err != nil || len(b) > 8<<20 {
		return false
	}
	var doc yaml.Node
	if yaml.Unmarshal(b, &doc) != nil || len(doc.Content) == 0 {
		return false
	}
	var has func(n *yaml.Node, depth int) bool
	has = func(n *yaml.Node, depth int) bool {
		if n.Kind != yaml.MappingNode || depth > 3 {
			return false
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return true
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if has(n.Content[i+1], depth+1) {
				return true
			}
		}
		return false
	}
	return has(doc.Content[0], 0)
}

// dpkgOwner finds the Debian package whose file list
// (/var/lib/dpkg/info/*.list) holds the hub prefix's jupyterhub package
// directory. It tries the usual package names first and reads the other
// lists only for a prefix under /usr, where dpkg installs.
func dpkgOwner(root string, hub *env.Environment) (pkg, list string) {
	info := filepath.Join(root, "var", "lib", "dpkg", "info")
	var want []string
	for _, sp := range hub.SitePackages {
		rel := sp
		if root != "/" {
			if r, err := filepath.Rel(root, sp); err == nil && !strings.HasPrefix(r, "..") {
				rel = "/" + r
			}
		}
		want = append(want, filepath.Join(rel, "jupyterhub"))
	}
	if len(want) == 0 {
		return "", ""
	}
	owns := func(file string) bool {
		f, err := os.Open(file)
		if err != nil {
			return false
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := bytes.TrimSpace(sc.Bytes())
			for _, w := range want {
				if string(line) == w {
					return true
				}
			}
		}
		return false
	}
	for _, name := range []string{"jupyterhub", "python3-jupyterhub"} {
		for _, suffix := range []string{".list", ":all.list"} {
			p := filepath.Join(info, name+suffix)
			if owns(p) {
				return name, p
			}
		}
	}
	if !strings.HasPrefix(want[0], "/usr/") {
		return "", ""
	}
	lists, _ := filepath.Glob(filepath.Join(info, "*jupyterhub*.list"))
	for _, p := range lists {
		if owns(p) {
			return strings.TrimSuffix(strings.TrimSuffix(filepath.Base(p), ".list"), ":all"), p
		}
	}
	return "", ""
}

// externallyManaged returns the PEP 668 marker of a prefix: the
// EXTERNALLY-MANAGED file in its standard library directory
// (lib/python3.X), which a virtualenv made from it does not inherit.
func externallyManaged(prefix string) string {
	return glob(filepath.Join(prefix, "lib", "python3*", "EXTERNALLY-MANAGED"))
}
