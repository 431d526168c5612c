package extract

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/go-python/gpython/ast"
	"github.com/go-python/gpython/py"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/pep440"
)

// Requirement is one runtime requirement of a release, in the shape of
// the requirements fact table.
type Requirement struct {
	// Package is the name as written; Normalized the PEP 503 form.
	Package    string
	Normalized string
	Extras     string
	// Specifier is the version part exactly as written ("" = unpinned).
	Specifier string
	// Marker is the environment marker after ";", with single quotes.
	Marker string
	// Raw is the whole line as written.
	Raw string
}

// parseRequirement parses one PEP 508 line ("name[extra]>=1.0; marker");
// ok is false for blank lines, comments and URL requirements.
func parseRequirement(line string) (Requirement, bool) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") || strings.Contains(line, "://") || strings.HasPrefix(line, "-") {
		return Requirement{}, false
	}
	if i := strings.Index(line, " #"); i >= 0 {
		line = strings.TrimSpace(line[:i])
	}
	q := Requirement{Raw: line}
	spec := line
	if i := strings.IndexByte(line, ';'); i >= 0 {
		spec, q.Marker = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
	}
	n := 0
	for n < len(spec) && (isAlnum(spec[n]) || strings.IndexByte("._-", spec[n]) >= 0) {
		n++
	}
	if n == 0 {
		return Requirement{}, false
	}
	q.Package, spec = spec[:n], strings.TrimSpace(spec[n:])
	if strings.HasPrefix(spec, "[") {
		if j := strings.IndexByte(spec, ']'); j > 0 {
			q.Extras, spec = spec[1:j], strings.TrimSpace(spec[j+1:])
		}
	}
	spec = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(spec, "("), ")"))
	q.Specifier = spec
	q.Normalized = pep440.NormalizeName(q.Package)
	return q, true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// requirementsTxt reads requirements.txt the way JupyterHub's setup.py
// (and, from 5.0, pyproject's dynamic dependencies) does: every line
// that is not blank, a comment, or a URL.
func requirementsTxt(b []byte) []Requirement {
	var out []Requirement
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if q, ok := parseRequirement(sc.Text()); ok {
			out = append(out, q)
		}
	}
	return out
}

// headers parses RFC 822 style metadata (METADATA, PKG-INFO) up to the
// body: repeated keys keep every value.
func headers(b []byte) map[string][]string {
	h := map[string][]string{}
	last := ""
	for _, ln := range strings.Split(string(b), "\n") {
		ln = strings.TrimRight(ln, "\r")
		if ln == "" {
			break
		}
		if (ln[0] == ' ' || ln[0] == '\t') && last != "" {
			continue // a continuation line (Description)
		}
		k, v, ok := strings.Cut(ln, ":")
		if !ok {
			continue
		}
		last = strings.TrimSpace(k)
		h[last] = append(h[last], strings.TrimSpace(v))
	}
	return h
}

// singleQuotes writes a marker's strings with single quotes, as
// JupyterHub's requirements.txt does (metadata writers use double ones).
func singleQuotes(m string) string { return strings.ReplaceAll(m, `"`, `'`) }

// requiresDist reads Requires-Dist lines, leaving out the optional
// extras' requirements.
func requiresDist(vals []string) []Requirement {
	var out []Requirement
	for _, v := range vals {
		q, ok := parseRequirement(v)
		if !ok || strings.Contains(q.Marker, "extra ==") || strings.Contains(q.Marker, "extra==") {
			continue
		}
		q.Marker = singleQuotes(q.Marker)
		out = append(out, q)
	}
	return out
}

// eggRequires reads an egg-info requires.txt: unconditional lines first,
// then "[:marker]" sections; "[extra]" sections are optional and left
// out. stripped is true when a marker section is empty, which pip never
// writes: the file was edited after the build (Debian's packaging
// removes the requirements that Debian packages provide).
func eggRequires(b []byte) (out []Requirement, stripped bool) {
	section, marker, inSection, count := "", "", false, 0
	flush := func() {
		if inSection && count == 0 && strings.HasPrefix(section, ":") {
			stripped = true
		}
	}
	for _, ln := range strings.Split(string(b), "\n") {
		ln = strings.TrimSpace(ln)
		if strings.HasPrefix(ln, "[") && strings.HasSuffix(ln, "]") {
			flush()
			section, inSection, count = ln[1:len(ln)-1], true, 0
			marker = ""
			if m, ok := strings.CutPrefix(section, ":"); ok {
				marker = singleQuotes(m)
			}
			continue
		}
		q, ok := parseRequirement(ln)
		if !ok {
			continue
		}
		count++
		if inSection && !strings.HasPrefix(section, ":") {
			continue // an extra
		}
		if marker != "" {
			q.Marker = marker
			q.Raw += "; " + marker
		}
		out = append(out, q)
	}
	flush()
	return out, stripped
}

// versionFromSource evaluates version_info in jupyterhub/_version.py the
// way __version__ is built from it: the first three parts joined with
// dots, then the rest joined with dots (".dev" suffixes), trailing dots
// stripped.
func versionFromSource(src []byte) (string, error) {
	m := config.ParsePython("jupyterhub/_version.py", src)
	for _, s := range m.Body {
		as, ok := s.(*ast.Assign)
		if !ok || len(as.Targets) != 1 || !isName(as.Targets[0], "version_info") {
			continue
		}
		t, ok := as.Value.(*ast.Tuple)
		if !ok || len(t.Elts) < 3 {
			return "", fmt.Errorf("jupyterhub/_version.py: version_info is not a tuple of at least three parts")
		}
		var parts []string
		for _, e := range t.Elts {
			switch v := e.(type) {
			case *ast.Num:
				parts = append(parts, fmt.Sprint(v.N))
			case *ast.Str:
				parts = append(parts, string(v.S))
			default:
				return "", fmt.Errorf("jupyterhub/_version.py: version_info has a part that is not a literal")
			}
		}
		v := strings.Join(parts[:3], ".") + strings.TrimRight(strings.Join(parts[3:], "."), ".")
		if _, err := pep440.Parse(v); err != nil {
			return "", fmt.Errorf("jupyterhub/_version.py: version %q: %w", v, err)
		}
		return v, nil
	}
	return "", fmt.Errorf("jupyterhub/_version.py: no version_info")
}

// pyprojectFacts reads requires-python and static dependencies from
// pyproject.toml; dynamic reports whether dependencies are dynamic.
func pyprojectFacts(b []byte) (requiresPython string, deps []Requirement, dynamic bool, err error) {
	var doc struct {
		Project struct {
			RequiresPython string   `toml:"requires-python"`
			Dependencies   []string `toml:"dependencies"`
			Dynamic        []string `toml:"dynamic"`
		} `toml:"project"`
	}
	if _, err := toml.Decode(string(b), &doc); err != nil {
		return "", nil, false, fmt.Errorf("pyproject.toml: %w", err)
	}
	for _, d := range doc.Project.Dependencies {
		if q, ok := parseRequirement(d); ok {
			deps = append(deps, q)
		}
	}
	for _, d := range doc.Project.Dynamic {
		dynamic = dynamic || d == "dependencies"
	}
	return doc.Project.RequiresPython, deps, dynamic, nil
}

// setupPythonRequires finds python_requires in setup.py: a keyword
// argument, a dict entry or an item assignment with a literal string.
func setupPythonRequires(src []byte) string {
	m := config.ParsePython("setup.py", src)
	found := ""
	ast.Walk(&ast.Module{Body: m.Body}, func(n ast.Ast) bool {
		if found != "" {
			return false
		}
		switch v := n.(type) {
		case *ast.Keyword:
			if string(v.Arg) == "python_requires" {
				found = strValue(v.Value)
			}
		case *ast.Dict:
			for i, k := range v.Keys {
				if strValue(k) == "python_requires" {
					found = strValue(v.Values[i])
				}
			}
		case *ast.Assign:
			for _, t := range v.Targets {
				if sub, ok := t.(*ast.Subscript); ok {
					if ix, ok := sub.Slice.(*ast.Index); ok && strValue(ix.Value) == "python_requires" {
						found = strValue(v.Value)
					}
				}
			}
		}
		return true
	})
	return found
}

// strValue returns the value of a string literal ("" for anything else).
func strValue(e ast.Expr) string {
	if s, ok := e.(*ast.Str); ok {
		return string(s.S)
	}
	return ""
}

func isName(e ast.Expr, name string) bool {
	n, ok := e.(*ast.Name)
	return ok && string(n.Id) == name
}

var _ = py.None
