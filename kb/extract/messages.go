package extract

import (
	"regexp"
	"strings"

	"github.com/go-python/gpython/ast"
)

// Format is a known message format to look for: the verbatim format
// string and its placeholder style (printf, str.format, f-string,
// literal), as in the messages fact table.
type Format struct {
	ID     string
	Format string
	Style  string
}

var (
	printfPlaceholder = regexp.MustCompile(`%[-#+ 0]*\d*(?:\.\d+)?[sdrif]`)
	braceField        = regexp.MustCompile(`\{[^{}]*\}`)
)

// pieces splits a format into the literal pieces that must each appear in
// one of the source's string constants: placeholders of printf formats
// and line breaks cut it (messages are often built from several
// literals); an f-string's replacement fields are blanked, as the parser
// sees them.
func pieces(f Format) []string {
	s := f.Format
	switch {
	case strings.HasPrefix(f.Style, "printf"):
		s = printfPlaceholder.ReplaceAllString(s, "\n")
	case f.Style == "f-string":
		s = braceField.ReplaceAllStringFunc(s, func(m string) string { return "{" + strings.Repeat(" ", len(m)-2) + "}" })
	}
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if len(strings.TrimSpace(p)) >= 3 {
			out = append(out, p)
		}
	}
	return out
}

// stringConstants returns every string constant of the package's modules
// (tests left out), the f-strings with their fields blanked.
func (p *Package) stringConstants() []string {
	var out []string
	for _, f := range p.pyFiles("jupyterhub/") {
		m := p.module(f)
		for _, s := range m.Body {
			ast.Walk(s, func(n ast.Ast) bool {
				if st, ok := n.(*ast.Str); ok && len(st.S) >= 3 {
					out = append(out, string(st.S))
				}
				return true
			})
		}
	}
	return out
}

// printed returns the IDs of the formats the package's source holds.
func printed(consts []string, formats []Format) []string {
	var out []string
	for _, f := range formats {
		ps := pieces(f)
		if len(ps) == 0 {
			continue
		}
		all := true
		for _, p := range ps {
			if !inConstants(consts, p) {
				all = false
				break
			}
		}
		if all {
			out = append(out, f.ID)
		}
	}
	return out
}

// inConstants reports whether piece is in one constant, or is the short
// end (up to three characters, punctuation) of one constant followed by
// the start of another (a message built as "... %s." + extra).
func inConstants(consts []string, piece string) bool {
	for _, c := range consts {
		if strings.Contains(c, piece) {
			return true
		}
	}
	for _, c := range consts {
		for i := 1; i <= 3 && i < len(piece); i++ {
			if strings.HasPrefix(c, piece[i:]) {
				for _, d := range consts {
					if strings.HasSuffix(d, piece[:i]) {
						return true
					}
				}
			}
		}
	}
	return false
}
