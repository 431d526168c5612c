package pep440

import (
	"fmt"
	"strings"
)

// Clause is one comparison of a specifier set, such as ">=3.8".
type Clause struct {
	Op      string // one of ==, !=, <=, >=, <, >, ~=, ===
	Version Version
	// Wildcard is true for "==1.2.*" and "!=1.2.*".
	Wildcard bool
	raw      string
}

// Specifier is a comma-separated set of clauses; a version matches when it
// matches every clause. The empty specifier matches everything.
type Specifier struct {
	Clauses []Clause
	raw     string
}

// ParseSpecifier parses a specifier set such as ">=3.8, <4" or "~=2.0".
// Surrounding parentheses (old metadata style) are accepted.
func ParseSpecifier(s string) (Specifier, error) {
	raw := strings.TrimSpace(s)
	t := strings.TrimSuffix(strings.TrimPrefix(raw, "("), ")")
	spec := Specifier{raw: raw}
	if strings.TrimSpace(t) == "" {
		return spec, nil
	}
	for _, part := range strings.Split(t, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var op string
		for _, cand := range []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"} {
			if strings.HasPrefix(part, cand) {
				op = cand
				break
			}
		}
		if op == "" {
			return Specifier{}, fmt.Errorf("invalid specifier %q: %q has no operator", s, part)
		}
		vs := strings.TrimSpace(part[len(op):])
		c := Clause{Op: op, raw: part}
		if strings.HasSuffix(vs, ".*") && (op == "==" || op == "!=") {
			c.Wildcard = true
			vs = strings.TrimSuffix(vs, ".*")
		}
		v, err := Parse(vs)
		if err != nil {
			return Specifier{}, fmt.Errorf("invalid specifier %q: %v", s, err)
		}
		c.Version = v
		spec.Clauses = append(spec.Clauses, c)
	}
	return spec, nil
}

// MustParseSpecifier is ParseSpecifier that panics on error.
func MustParseSpecifier(s string) Specifier {
	sp, err := ParseSpecifier(s)
	if err != nil {
		panic(err)
	}
	return sp
}

// String returns the specifier as it was written.
func (s Specifier) String() string { return s.raw }

// IsEmpty reports whether s has no clauses (matches any version).
func (s Specifier) IsEmpty() bool { return len(s.Clauses) == 0 }

// Contains reports whether v satisfies every clause. As pip does,
// pre-releases are matched like any other version here; callers that want
// to exclude them check IsPrerelease themselves.
func (s Specifier) Contains(v Version) bool {
	for _, c := range s.Clauses {
		if !c.Contains(v) {
			return false
		}
	}
	return true
}

// Contains reports whether v satisfies the clause.
func (c Clause) Contains(v Version) bool {
	switch c.Op {
	case "==", "===":
		if c.Wildcard {
			return prefixMatch(v, c.Version)
		}
		return v.withoutLocal().Equal(c.Version) || (c.Op == "===" && v.String() == c.Version.String())
	case "!=":
		if c.Wildcard {
			return !prefixMatch(v, c.Version)
		}
		return !v.withoutLocal().Equal(c.Version)
	case "<=":
		return v.withoutLocal().Compare(c.Version) <= 0
	case ">=":
		return v.withoutLocal().Compare(c.Version) >= 0
	case "<":
		// <V excludes pre-releases of V itself.
		if v.Compare(c.Version) >= 0 {
			return false
		}
		if !c.Version.IsPrerelease() && v.IsPrerelease() && baseEqual(v, c.Version) {
			return false
		}
		return true
	case ">":
		if v.withoutLocal().Compare(c.Version) <= 0 {
			return false
		}
		// >V excludes post-releases of V itself.
		if c.Version.Post < 0 && v.Post >= 0 && baseEqual(v, c.Version) {
			return false
		}
		return true
	case "~=":
		if v.withoutLocal().Compare(c.Version) < 0 {
			return false
		}
		n := len(c.Version.Release) - 1
		if n < 1 {
			n = 1
		}
		prefix := Version{Release: c.Version.Release[:n], Post: -1, Dev: -1}
		return prefixMatch(v, prefix)
	}
	return false
}

func (v Version) withoutLocal() Version {
	v.Local = ""
	return v
}

func baseEqual(a, b Version) bool {
	n := max(len(a.Release), len(b.Release))
	for i := 0; i < n; i++ {
		if a.seg(i) != b.seg(i) {
			return false
		}
	}
	return a.Epoch == b.Epoch
}

// prefixMatch reports whether v's release starts with p's release segments.
func prefixMatch(v, p Version) bool {
	if v.Epoch != p.Epoch {
		return false
	}
	for i := range p.Release {
		if v.seg(i) != p.Release[i] {
			return false
		}
	}
	return true
}

// NormalizeName normalizes a distribution name per PEP 503: lower case,
// runs of "-", "_" and "." become one "-".
func NormalizeName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if r == '-' || r == '_' || r == '.' {
			if !dash {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		dash = false
		b.WriteRune(r)
	}
	return b.String()
}
