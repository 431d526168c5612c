package config

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hubaudit/hubaudit/checks"
	"github.com/hubaudit/hubaudit/kb"
)

// Options say which config files to read.
type Options struct {
	// Dir is the deployment directory. When Files is empty the collector
	// reads Dir/jupyterhub_config.py and then Dir/jupyterhub_config.d/*.py
	// in sorted order, the way jupyterhub and TLJH load them.
	Dir string
	// Files are the --config arguments: .py files, jupyterhub_config.d
	// directories, Zero to JupyterHub values.yaml files, or TLJH's
	// config.yaml.
	Files []string
	// Environ is the environment the hub runs with, when it is known (a
	// compose service's environment:): the config's os.environ reads of
	// these variables get their values.
	Environ map[string]string
	// TLJHRelease is the TLJH release whose configurer a config.yaml is
	// read as ("" for the newest final release), and TLJHReleaseFrom
	// says why that one.
	TLJHRelease     string
	TLJHReleaseFrom string
}

// Collect reads the config files and describes them. It returns
// checks.Absent when no config was given and none was found; problems
// inside a file are facts (ParseErrors), not errors. A named file that
// cannot be read is an error.
func Collect(opts Options) (*Facts, error) {
	files, err := resolveFiles(opts)
	if err != nil {
		return nil, err
	}
	f := newFacts()
	seen := map[string]bool{}
	var read func(name string) error
	read = func(name string) error {
		if abs, err := filepath.Abs(name); err == nil {
			if seen[abs] {
				return nil
			}
			seen[abs] = true
		}
		if st, err := os.Stat(name); err == nil && st.Size() > maxFileSize {
			f.Files = append(f.Files, name)
			f.ParseErrors = append(f.ParseErrors, ParseError{File: name, Reason: fmt.Sprintf("file is %d MB, larger than the %d MB a config can be; not analysed", st.Size()>>20, maxFileSize>>20)})
			return nil
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("config: %w", err)
		}
		f.Files = append(f.Files, name)
		if len(bytes.TrimSpace(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")))) == 0 {
			f.EmptyFiles = append(f.EmptyFiles, name)
			return nil
		}
		if isYAML(name, src) && isTLJHConfig(name, src) {
			f.TLJHConfig = name
			rel, ok := kb.TLJHReleaseByTag(opts.TLJHRelease)
			if !ok {
				rel, _ = kb.TLJHReleaseByTag("")
			}
			f.TLJHReleaseFrom = opts.TLJHReleaseFrom
			if rel.Tag != opts.TLJHRelease || f.TLJHReleaseFrom == "" {
				f.TLJHReleaseFrom = "the newest TLJH release hubaudit knows"
			}
			f.merge(analyzeTLJH(name, src, rel))
			return nil
		}
		if isYAML(name, src) {
			for _, r := range analyzeValues(name, src) {
				f.merge(r)
			}
			return nil
		}
		r := analyzePython(name, src, nil)
		f.merge(r)
		// load_subconfig("x.py") loads x.py from the config's directory
		// at that point; read it next (a missing file is skipped, as
		// traitlets does).
		for i := len(f.Subconfigs) - len(r.subconfigs); i < len(f.Subconfigs); i++ {
			sc := &f.Subconfigs[i]
			if !sc.Literal {
				continue
			}
			p := sc.Target
			if !filepath.IsAbs(p) {
				p = filepath.Join(filepath.Dir(name), p)
			}
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				sc.Found = true
				if err := read(p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, name := range files {
		if err := read(name); err != nil {
			return nil, err
		}
	}
	if f.TLJHConfig != "" {
		// The config.yaml reader is what TLJH's configurer.apply_config
		// does: the hand-off is no longer unknown.
		kept := f.Handoffs[:0]
		for _, h := range f.Handoffs {
			if h.Call != "configurer.apply_config" && h.Call != "tljh.configurer.apply_config" {
				kept = append(kept, h)
			}
		}
		f.Handoffs = kept
	}
	f.resolveEnv(opts.Environ)
	f.derive()
	return f, nil
}

// resolveEnv gives the config's reads of known environment variables
// their values (secret-looking values redacted like literals).
func (f *Facts) resolveEnv(environ map[string]string) {
	if len(environ) == 0 {
		return
	}
	for i := range f.Assignments {
		a := &f.Assignments[i]
		if a.ValueKind != "env" || a.Env == nil {
			continue
		}
		v, ok := environ[a.Env.Var]
		if !ok {
			continue
		}
		a.ValueKind, a.Value, a.Via = "literal", v, "environment "+a.Env.Var
		a.Length = utf8.RuneCountInString(v)
		if a.Trait == "JupyterHub.db_url" {
			a.raw = v
			a.Value = RedactURL(v)
			a.Redacted = a.Value != v
		} else if secretKind(a.Trait) != "" && v != "" {
			a.Value, a.Redacted = Redacted, true
		}
	}
}

// AnalyzeSource analyses one in-memory config (Python, or values.yaml
// when name ends in .yaml/.yml) as if it were the only file.
func AnalyzeSource(name string, src []byte) *Facts {
	f := newFacts()
	f.Files = []string{name}
	if len(bytes.TrimSpace(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")))) == 0 {
		f.EmptyFiles = append(f.EmptyFiles, name)
	} else if isYAML(name, src) {
		for _, r := range analyzeValues(name, src) {
			f.merge(r)
		}
	} else {
		f.merge(analyzePython(name, src, nil))
	}
	f.derive()
	return f
}

func newFacts() *Facts {
	return &Facts{Files: []string{}, Assignments: []Assignment{}, ParseErrors: []ParseError{}, Suppressions: []Suppression{},
		Imports: []Import{}, Subconfigs: []Subconfig{}, Handoffs: []Handoff{}, Classes: []ClassDef{}, EnvRefs: []EnvRef{}, Secrets: []Secret{},
		Rewrites: map[string]int{}}
}

func resolveFiles(opts Options) ([]string, error) {
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	var out []string
	if len(opts.Files) == 0 {
		main := filepath.Join(dir, "jupyterhub_config.py")
		if st, err := os.Stat(main); err == nil && !st.IsDir() {
			out = append(out, main)
		}
		d := filepath.Join(dir, "jupyterhub_config.d")
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			more, err := pyFiles(d)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		}
		if len(out) == 0 {
			return nil, checks.Absent(fmt.Sprintf("no jupyterhub_config.py in %s", dir))
		}
		return out, nil
	}
	for _, f := range opts.Files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		if st.IsDir() {
			more, err := pyFiles(f)
			if err != nil {
				return nil, err
			}
			if len(more) == 0 {
				return nil, fmt.Errorf("config: %s has no .py files", f)
			}
			out = append(out, more...)
			continue
		}
		out = append(out, f)
	}
	return out, nil
}

// pyFiles lists dir/*.py in sorted order.
func pyFiles(dir string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(dir, "*.py"))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	sort.Strings(m)
	return m, nil
}

func isYAML(name string, src []byte) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".yaml" || ext == ".yml" {
		return true
	}
	if ext == ".py" {
		return false
	}
	// No telling extension: values files start with a top-level chart key.
	for _, l := range strings.SplitN(string(src), "\n", 50) {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") || t == "---" {
			continue
		}
		// helm get values (without -o yaml) heads its output so.
		return strings.HasPrefix(t, "hub:") || strings.HasPrefix(t, "proxy:") || strings.HasPrefix(t, "singleuser:") ||
			t == "USER-SUPPLIED VALUES:" || t == "COMPUTED VALUES:"
	}
	return false
}

func (f *Facts) merge(r *fileResult) {
	f.Assignments = append(f.Assignments, r.assignments...)
	f.ParseErrors = append(f.ParseErrors, r.errors...)
	f.Suppressions = append(f.Suppressions, r.suppressions...)
	f.Imports = append(f.Imports, r.imports...)
	f.Subconfigs = append(f.Subconfigs, r.subconfigs...)
	f.Handoffs = append(f.Handoffs, r.handoffs...)
	f.Classes = append(f.Classes, r.classes...)
	f.EnvRefs = append(f.EnvRefs, r.envRefs...)
	f.Secrets = append(f.Secrets, r.secrets...)
	f.Charts = append(f.Charts, r.charts...)
	if r.tljhRelease != "" {
		f.TLJHRelease = r.tljhRelease
	}
	f.TLJHKeys = append(f.TLJHKeys, r.tljhKeys...)
	for k, v := range r.rewrites {
		f.Rewrites[k] += v
	}
}

// Secret is a secret written literally in a config file. Its value is
// never recorded.
type Secret struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
	// Subject is "trait:JupyterHub.cookie_secret" or the YAML key path
	// ("yaml:hub.cookieSecret").
	Subject string `json:"subject"`
	// Kind is "cookie_secret", "api_token", "client_secret",
	// "db_password", "proxy_token" or "secret".
	Kind string `json:"kind"`
}

var secretKinds sync.Map

// secretKind says whether a trait holds a secret and which kind.
func secretKind(trait string) string {
	if v, ok := secretKinds.Load(trait); ok {
		return v.(string)
	}
	k := secretKindOf(trait)
	secretKinds.Store(trait, k)
	return k
}

func secretKindOf(trait string) string {
	name := trait[strings.IndexByte(trait, '.')+1:]
	switch {
	case name == "cookie_secret":
		return "cookie_secret"
	case name == "api_tokens" || name == "api_token":
		return "api_token"
	case name == "client_secret":
		return "client_secret"
	case name == "auth_token":
		return "proxy_token"
	case name == "db_url":
		return "db_password"
	case notSecretRE().MatchString(name):
		// Settings about secrets, not secrets: scopes, lifetimes, lengths,
		// switches, names of Kubernetes secrets, templates.
		return ""
	case strings.Contains(name, "password"):
		return "password"
	case secretRE().MatchString(name) && !strings.HasSuffix(name, "_file") && !strings.HasSuffix(name, "_path") && !strings.Contains(name, "url"):
		return "secret"
	}
	return ""
}

// derive computes the summary facts from the assignments, in load order
// (the last assignment wins, as in traitlets).
func (f *Facts) derive() {
	f.Proxy = Proxy{Class: "ConfigurableHTTPProxy", ShouldStart: true}
	imports := map[string]Import{}
	for _, im := range f.Imports {
		imports[im.As] = im
	}
	custom := map[string]ClassDef{}
	for _, c := range f.Classes {
		custom[c.Name] = c
	}
	for _, a := range f.Assignments {
		pos := fmt.Sprintf("%s:%d", a.File, a.Line)
		lit, isStr := a.Value.(string)
		isStr = isStr && a.ValueKind == "literal"
		switch a.Trait {
		case "JupyterHub.db_url":
			if a.Op == "=" || a.Op == "chart" {
				if a.Conditional {
					f.DBURLConditional = append(f.DBURLConditional, pos)
				} else {
					f.DBURLConditional = nil
				}
				f.DBURL, f.DBURLRaw, f.DBURLFrom, f.DBURLEnv, f.DBURLEnvDefault = "", "", pos, "", ""
				if raw, ok := a.rawString(); ok {
					f.DBURLRaw = raw
					f.DBURL = RedactURL(raw)
				}
				if a.Env != nil {
					f.DBURLEnv = a.Env.Var
					if d, ok := a.Env.Default.(string); ok {
						f.DBURLEnvDefault = d
						f.DBURLRaw = a.raw
					}
				}
			}
		case "JupyterHub.authenticator_class", "JupyterHub.spawner_class", "JupyterHub.proxy_class":
			if a.Op != "=" && a.Op != "chart" {
				break
			}
			ch := &ClassChoice{File: a.File, Line: a.Line}
			switch {
			case isStr:
				ch.Value = lit
				ch.Class, ch.Package = resolveClassString(lit, a.Trait)
			case a.ValueKind == "name":
				ch.Value = a.Ref
				head := strings.SplitN(a.Ref, ".", 2)[0]
				last := a.Ref[strings.LastIndexByte(a.Ref, '.')+1:]
				if cd, ok := custom[a.Ref]; ok {
					ch.Class, ch.Custom = cd.Name, true
				} else if im, ok := imports[head]; ok {
					ch.Class = last
					mod := im.Module
					if im.Name != "" && head == a.Ref {
						ch.Class = im.Name
					}
					ch.Package = strings.SplitN(strings.TrimLeft(mod, "."), ".", 2)[0]
					if d, ok := kb.DistributionOfModule(ch.Package); ok {
						ch.Package = d // module tljh is the-littlest-jupyterhub
					}
				} else {
					ch.Class = last
				}
			default:
				ch.Value = "<" + a.ValueKind + ">"
			}
			switch a.Trait {
			case "JupyterHub.authenticator_class":
				f.AuthenticatorClass = ch
			case "JupyterHub.spawner_class":
				f.SpawnerClass = ch
			default:
				if ch.Class != "" {
					f.Proxy.Class = ch.Class
				} else {
					f.Proxy.Class = ch.Value
				}
				f.Proxy.From = pos
			}
		case "JupyterHub.cleanup_servers":
			if b, ok := a.Value.(bool); ok && a.ValueKind == "literal" {
				f.CleanupServers = &b
			}
		case "Authenticator.allowed_users", "Authenticator.whitelist":
			if a.Op == "=" {
				f.AllowedUsersSet = true
				f.AllowedUsers = stringSet(a.Value)
			} else {
				f.AllowedUsersSet = true
			}
		case "Authenticator.admin_users":
			if a.Op == "=" {
				f.AdminUsers = stringSet(a.Value)
			}
		}
		if strings.HasSuffix(a.Trait, ".should_start") && (a.Op == "=" || a.Op == "chart") {
			if b, ok := a.Value.(bool); ok && a.ValueKind == "literal" {
				f.Proxy.ShouldStart = b
				f.Proxy.From = pos
			}
		}
	}
	if len(f.DBURLConditional) > 0 {
		// Which branch runs is not known: no URL is the config's.
		f.DBURL, f.DBURLRaw, f.DBURLEnv, f.DBURLEnvDefault = "", "", "", ""
	}
	f.Proxy.External = !f.Proxy.ShouldStart
}

// rawString returns the unredacted string value kept for db_url.
func (a Assignment) rawString() (string, bool) {
	if a.raw != "" {
		return a.raw, true
	}
	s, ok := a.Value.(string)
	return s, ok && a.ValueKind == "literal" && !a.Redacted
}

func stringSet(v any) []string {
	l, ok := v.([]any)
	if !ok {
		return nil
	}
	out := []string{}
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// entryPointGroup is the entry-point group each *_class option loads
// names from.
var entryPointGroup = map[string]string{
	"JupyterHub.authenticator_class": "jupyterhub.authenticators",
	"JupyterHub.spawner_class":       "jupyterhub.spawners",
	"JupyterHub.proxy_class":         "jupyterhub.proxies",
}

// resolveClassString resolves an entry-point name (from the knowledge
// base's table of JupyterHub's and its companions' entry points) or a
// dotted path.
func resolveClassString(s, trait string) (class, pkg string) {
	if ep, ok := kb.EntryPoint(entryPointGroup[trait], s); ok {
		return ep.Class, ep.Package
	}
	if strings.Contains(s, ".") {
		mod := s[:strings.IndexByte(s, '.')]
		if p, ok := kb.DistributionOfModule(mod); ok {
			mod = p
		}
		return s[strings.LastIndexByte(s, '.')+1:], mod
	}
	return "", ""
}

// RedactURL hides the password of a URL ("postgresql://u:***@h/db"). A
// string that is not a URL with a password is returned unchanged.
func RedactURL(s string) string {
	if !strings.Contains(s, "://") || !strings.Contains(s, "@") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		// Fall back to a textual cut between "://user:" and "@".
		i := strings.Index(s, "://")
		at := strings.LastIndex(s, "@")
		if i < 0 || at < i {
			return s
		}
		cred := s[i+3 : at]
		if c := strings.IndexByte(cred, ':'); c >= 0 {
			return s[:i+3] + cred[:c] + ":***" + s[at:]
		}
		return s
	}
	if _, has := u.User.Password(); !has {
		return s
	}
	i := strings.Index(s, "://")
	at := strings.LastIndex(s, "@")
	cred := s[i+3 : at]
	c := strings.IndexByte(cred, ':')
	return s[:i+3] + cred[:c] + ":***" + s[at:]
}

// URLHasPassword reports whether a URL carries a password.
func URLHasPassword(s string) bool { return RedactURL(s) != s }
