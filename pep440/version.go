package pep440

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a parsed PEP 440 version. The zero value is invalid; use Parse.
type Version struct {
	Epoch   int
	Release []int
	// PreKind is "a", "b", "rc" or "" for no pre-release.
	PreKind string
	PreNum  int
	// Post is -1 when there is no post-release segment.
	Post int
	// Dev is -1 when there is no dev-release segment.
	Dev   int
	Local string
	raw   string
}

// Parse parses s as a PEP 440 version. It accepts the normal forms and the
// spellings pip normalizes ("1.2.0dev", "5.0.0.b1", "v4.1.6", "1.0-1").
// It is a hand-written scanner: the knowledge base parses about a thousand
// versions at start-up.
func Parse(s string) (Version, error) {
	raw := strings.TrimSpace(s)
	p := parser{s: strings.ToLower(raw)}
	v := Version{Post: -1, Dev: -1, raw: raw}
	p.lit("v")
	n, ok := p.num()
	if !ok {
		return Version{}, invalidVersion(s)
	}
	if p.lit("!") {
		v.Epoch = n
		if n, ok = p.num(); !ok {
			return Version{}, invalidVersion(s)
		}
	}
	v.Release = append(v.Release, n)
	for p.peek() == '.' && p.digitAt(p.i+1) {
		p.i++
		n, _ = p.num()
		v.Release = append(v.Release, n)
	}
	// Pre-release: [-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?N?
	save := p.i
	p.sep()
	if kind := p.word("alpha", "a", "beta", "b", "preview", "pre", "rc", "c"); kind != "" {
		switch kind {
		case "a", "alpha":
			v.PreKind = "a"
		case "b", "beta":
			v.PreKind = "b"
		default:
			v.PreKind = "rc"
		}
		v.PreNum = p.optNum()
	} else {
		p.i = save
	}
	// Post-release: -N, or [-_.]?(post|rev|r)[-_.]?N?
	save = p.i
	if p.peek() == '-' && p.digitAt(p.i+1) {
		p.i++
		v.Post, _ = p.num()
	} else {
		p.sep()
		if p.word("post", "rev", "r") != "" {
			v.Post = p.optNum()
		} else {
			p.i = save
		}
	}
	// Dev release: [-_.]?dev[-_.]?N?
	save = p.i
	p.sep()
	if p.word("dev") != "" {
		v.Dev = p.optNum()
	} else {
		p.i = save
	}
	if p.lit("+") {
		start := p.i
		for p.i < len(p.s) && (isAlnum(p.s[p.i]) || ((p.s[p.i] == '.' || p.s[p.i] == '-' || p.s[p.i] == '_') && p.i > start && p.i+1 < len(p.s) && isAlnum(p.s[p.i+1]))) {
			p.i++
		}
		if p.i == start {
			return Version{}, invalidVersion(s)
		}
		v.Local = p.s[start:p.i]
	}
	if p.i != len(p.s) {
		return Version{}, invalidVersion(s)
	}
	return v, nil
}

// invalidVersion is the error of Parse. It is built only on failure:
// formatting it for every version parsed cost more than the parse.
func invalidVersion(s string) error { return fmt.Errorf("invalid version %q", s) }

type parser struct {
	s string
	i int
}

func (p *parser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *parser) digitAt(i int) bool { return i < len(p.s) && p.s[i] >= '0' && p.s[i] <= '9' }

func (p *parser) lit(l string) bool {
	if strings.HasPrefix(p.s[p.i:], l) {
		p.i += len(l)
		return true
	}
	return false
}

// sep skips one optional separator.
func (p *parser) sep() {
	if c := p.peek(); c == '-' || c == '_' || c == '.' {
		p.i++
	}
}

// word consumes the first of words (longest listed first) that is next.
func (p *parser) word(words ...string) string {
	for _, w := range words {
		if p.lit(w) {
			return w
		}
	}
	return ""
}

func (p *parser) num() (int, bool) {
	start := p.i
	n := 0
	for p.digitAt(p.i) {
		if n > (1<<31)/10 {
			return 0, false
		}
		n = n*10 + int(p.s[p.i]-'0')
		p.i++
	}
	return n, p.i > start
}

// optNum reads [-_.]?N? after a pre/post/dev keyword (0 when absent).
func (p *parser) optNum() int {
	save := p.i
	p.sep()
	if n, ok := p.num(); ok {
		return n
	}
	p.i = save
	return 0
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// MustParse is Parse that panics on error; for literals in tests and
// generated data that is validated elsewhere.
func MustParse(s string) Version {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

// IsZero reports whether v is the zero (unparsed) value.
func (v Version) IsZero() bool { return len(v.Release) == 0 }

// IsPrerelease reports whether v is a pre- or dev-release.
func (v Version) IsPrerelease() bool { return v.PreKind != "" || v.Dev >= 0 }

// Major returns the first release segment.
func (v Version) Major() int { return v.seg(0) }

// Minor returns the second release segment (0 when absent).
func (v Version) Minor() int { return v.seg(1) }

// MajorMinor returns the release line "X.Y" (5.5 for 5.5.1, 2.0 for 2).
func (v Version) MajorMinor() string { return strconv.Itoa(v.Major()) + "." + strconv.Itoa(v.Minor()) }

// Micro returns the third release segment (0 when absent).
func (v Version) Micro() int { return v.seg(2) }

func (v Version) seg(i int) int {
	if i < len(v.Release) {
		return v.Release[i]
	}
	return 0
}

// String returns the normalized form of v ("5.0.0b1", "1.2.0.dev0").
func (v Version) String() string {
	if v.IsZero() {
		return ""
	}
	var b strings.Builder
	if v.Epoch != 0 {
		fmt.Fprintf(&b, "%d!", v.Epoch)
	}
	for i, n := range v.Release {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(n))
	}
	if v.PreKind != "" {
		fmt.Fprintf(&b, "%s%d", v.PreKind, v.PreNum)
	}
	if v.Post >= 0 {
		fmt.Fprintf(&b, ".post%d", v.Post)
	}
	if v.Dev >= 0 {
		fmt.Fprintf(&b, ".dev%d", v.Dev)
	}
	if v.Local != "" {
		b.WriteString("+" + v.Local)
	}
	return b.String()
}

// Compare returns -1, 0 or +1 as v sorts before, equal to or after w in
// PEP 440 order (dev < pre < final < post; local labels sort last).
func (v Version) Compare(w Version) int {
	if c := cmpInt(v.Epoch, w.Epoch); c != 0 {
		return c
	}
	n := max(len(v.Release), len(w.Release))
	for i := 0; i < n; i++ {
		if c := cmpInt(v.seg(i), w.seg(i)); c != 0 {
			return c
		}
	}
	if c := cmpInt(v.preRank(), w.preRank()); c != 0 {
		return c
	}
	if v.PreKind != "" && v.PreKind == w.PreKind {
		if c := cmpInt(v.PreNum, w.PreNum); c != 0 {
			return c
		}
	}
	if c := cmpInt(v.Post, w.Post); c != 0 {
		return c
	}
	// A dev release sorts before the same version without one.
	vd, wd := v.Dev, w.Dev
	if vd < 0 {
		vd = 1 << 30
	}
	if wd < 0 {
		wd = 1 << 30
	}
	if c := cmpInt(vd, wd); c != 0 {
		return c
	}
	return strings.Compare(v.Local, w.Local)
}

// preRank orders the pre-release kinds; a bare dev release (1.0.dev0) sorts
// before every pre-release of the same release.
func (v Version) preRank() int {
	switch v.PreKind {
	case "a":
		return 1
	case "b":
		return 2
	case "rc":
		return 3
	}
	if v.Dev >= 0 && v.Post < 0 {
		return 0
	}
	return 4
}

// Less reports whether v sorts before w.
func (v Version) Less(w Version) bool { return v.Compare(w) < 0 }

// Equal reports whether v and w are the same version.
func (v Version) Equal(w Version) bool { return v.Compare(w) == 0 }

// SameMajorMinor reports whether v and w share their first two release
// segments.
func (v Version) SameMajorMinor(w Version) bool {
	return v.Major() == w.Major() && v.Minor() == w.Minor()
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalText implements encoding.TextMarshaler.
func (v Version) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (v *Version) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}
