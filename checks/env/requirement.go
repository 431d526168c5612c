package env

import (
	"fmt"
	"strings"

	"github.com/hubaudit/hubaudit/internal/lazyre"
	"github.com/hubaudit/hubaudit/pep440"
)

var reqNameRE = lazyre.New(`^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$`)

// ParseRequirement parses a PEP 508 requirement such as
// `jupyterhub>=4.0; python_version >= "3.8"`, `name (>=1.0)` (old
// metadata style) or `name @ https://...`. The name is normalized.
func ParseRequirement(s string) (Requirement, error) {
	text := strings.TrimSpace(s)
	var r Requirement
	if text == "" {
		return r, fmt.Errorf("empty requirement")
	}
	body, marker := text, ""
	if i := strings.Index(text, ";"); i >= 0 {
		body, marker = text[:i], strings.TrimSpace(text[i+1:])
	}
	m := reqNameRE().FindStringSubmatch(body)
	if m == nil {
		return r, fmt.Errorf("invalid requirement %q", oneLine(text))
	}
	r.Name = pep440.NormalizeName(m[1])
	for _, e := range strings.Split(m[2], ",") {
		if e = strings.TrimSpace(e); e != "" {
			r.Extras = append(r.Extras, pep440.NormalizeName(e))
		}
	}
	rest := strings.TrimSpace(m[3])
	switch {
	case strings.HasPrefix(rest, "@"):
		// a direct URL: any version
	case rest != "":
		spec := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")"))
		if _, err := pep440.ParseSpecifier(spec); err != nil {
			return r, fmt.Errorf("invalid requirement %q: %v", oneLine(text), err)
		}
		r.Specifier = spec
	}
	if marker != "" {
		if _, err := parseMarker(marker); err != nil {
			return r, fmt.Errorf("invalid marker in %q: %v", oneLine(text), err)
		}
	}
	r.Marker = marker
	return r, nil
}

// String renders the requirement in PEP 508 form.
func (r Requirement) String() string {
	s := r.Name
	if len(r.Extras) > 0 {
		s += "[" + strings.Join(r.Extras, ",") + "]"
	}
	s += r.Specifier
	if r.Marker != "" {
		s += "; " + r.Marker
	}
	return s
}

// Tri is a three-valued truth: a marker may depend on something unknown
// (the Python version of an exported package list).
type Tri int

// Truth values.
const (
	False Tri = iota
	True
	Unknown
)

// MarkerEnv is what a marker is evaluated against. Python is the
// interpreter version ("" when unknown); the platform is assumed to be
// Linux with CPython, as JupyterHub deployments are. Extras are the extras
// being installed (usually none).
type MarkerEnv struct {
	Python string
	Extras []string
}

// Applies reports whether the requirement applies in menv: True when its
// marker holds, False when it does not, Unknown when it depends on
// something not known. A marker that does not parse gives Unknown.
func (r Requirement) Applies(menv MarkerEnv) Tri {
	if r.Marker == "" {
		return True
	}
	n, err := parseMarker(r.Marker)
	if err != nil {
		return Unknown
	}
	return n.eval(menv)
}

// marker expression tree
type markerNode struct {
	op          string // "and", "or", "cmp"
	left, right *markerNode
	lhs, rhs    markerTerm
	cmp         string
}

type markerTerm struct {
	variable string
	value    string
}

func (t markerTerm) resolve(menv MarkerEnv) (string, bool) {
	if t.variable == "" {
		return t.value, true
	}
	switch t.variable {
	case "python_version":
		if menv.Python == "" {
			return "", false
		}
		v, err := pep440.Parse(menv.Python)
		if err != nil {
			return "", false
		}
		return v.MajorMinor(), true
	case "python_full_version":
		return menv.Python, menv.Python != ""
	case "sys_platform":
		return "linux", true
	case "platform_system":
		return "Linux", true
	case "os_name":
		return "posix", true
	case "implementation_name":
		return "cpython", true
	case "platform_python_implementation":
		return "CPython", true
	}
	return "", false
}

func (n *markerNode) eval(menv MarkerEnv) Tri {
	switch n.op {
	case "and":
		a, b := n.left.eval(menv), n.right.eval(menv)
		switch {
		case a == False || b == False:
			return False
		case a == True && b == True:
			return True
		}
		return Unknown
	case "or":
		a, b := n.left.eval(menv), n.right.eval(menv)
		switch {
		case a == True || b == True:
			return True
		case a == False && b == False:
			return False
		}
		return Unknown
	}
	// extra == "x": true only for the extras being installed.
	if n.lhs.variable == "extra" || n.rhs.variable == "extra" {
		val := n.rhs.value
		if n.rhs.variable == "extra" {
			val = n.lhs.value
		}
		in := false
		for _, e := range menv.Extras {
			if pep440.NormalizeName(e) == pep440.NormalizeName(val) {
				in = true
			}
		}
		switch n.cmp {
		case "==":
			return triOf(in)
		case "!=":
			return triOf(!in)
		}
		return Unknown
	}
	l, ok1 := n.lhs.resolve(menv)
	r, ok2 := n.rhs.resolve(menv)
	if !ok1 || !ok2 {
		return Unknown
	}
	switch n.cmp {
	case "in":
		return triOf(strings.Contains(r, l))
	case "not in":
		return triOf(!strings.Contains(r, l))
	}
	if lv, err := pep440.Parse(l); err == nil {
		if spec, err := pep440.ParseSpecifier(n.cmp + r); err == nil {
			return triOf(spec.Contains(lv))
		}
	}
	switch n.cmp {
	case "==", "===":
		return triOf(l == r)
	case "!=":
		return triOf(l != r)
	}
	return Unknown
}

func triOf(b bool) Tri {
	if b {
		return True
	}
	return False
}

var markerVars = map[string]bool{
	"python_version": true, "python_full_version": true, "sys_platform": true,
	"platform_system": true, "os_name": true, "implementation_name": true,
	"platform_python_implementation": true, "platform_machine": true,
	"platform_release": true, "platform_version": true, "implementation_version": true,
	"extra": true,
}

type markerParser struct {
	toks []string
	pos  int
}

func tokenizeMarker(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')':
			toks = append(toks, string(c))
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("unterminated string")
			}
			toks = append(toks, s[i:i+j+2])
			i += j + 2
		case strings.ContainsRune("<>=!~", rune(c)):
			j := i
			for j < len(s) && strings.ContainsRune("<>=!~", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '.' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("unexpected %q", string(c))
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

func parseMarker(s string) (*markerNode, error) {
	toks, err := tokenizeMarker(s)
	if err != nil {
		return nil, err
	}
	p := &markerParser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.pos])
	}
	return n, nil
}

func (p *markerParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *markerParser) or() (*markerNode, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek() == "or" {
		p.pos++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &markerNode{op: "or", left: l, right: r}
	}
	return l, nil
}

func (p *markerParser) and() (*markerNode, error) {
	l, err := p.atom()
	if err != nil {
		return nil, err
	}
	for p.peek() == "and" {
		p.pos++
		r, err := p.atom()
		if err != nil {
			return nil, err
		}
		l = &markerNode{op: "and", left: l, right: r}
	}
	return l, nil
}

func (p *markerParser) atom() (*markerNode, error) {
	if p.peek() == "(" {
		p.pos++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, fmt.Errorf("missing )")
		}
		p.pos++
		return n, nil
	}
	lhs, err := p.term()
	if err != nil {
		return nil, err
	}
	op := p.peek()
	switch op {
	case "==", "!=", "<", "<=", ">", ">=", "~=", "===", "in":
		p.pos++
	case "not":
		p.pos++
		if p.peek() != "in" {
			return nil, fmt.Errorf("expected 'in' after 'not'")
		}
		p.pos++
		op = "not in"
	default:
		return nil, fmt.Errorf("expected a comparison, got %q", op)
	}
	rhs, err := p.term()
	if err != nil {
		return nil, err
	}
	return &markerNode{op: "cmp", lhs: lhs, rhs: rhs, cmp: op}, nil
}

func (p *markerParser) term() (markerTerm, error) {
	t := p.peek()
	if t == "" {
		return markerTerm{}, fmt.Errorf("unexpected end of marker")
	}
	p.pos++
	if t[0] == '"' || t[0] == '\'' {
		return markerTerm{value: t[1 : len(t)-1]}, nil
	}
	if markerVars[t] {
		return markerTerm{variable: t}, nil
	}
	return markerTerm{}, fmt.Errorf("unknown marker variable %q", t)
}

var userinfoRE = lazyre.New(`://[^/@\s]+@`)

// oneLine shortens s to one line for a message, with any credentials in
// URLs ("https://user:token@host") redacted.
func oneLine(s string) string {
	s = userinfoRE().ReplaceAllString(strings.Join(strings.Fields(s), " "), "://***@")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
