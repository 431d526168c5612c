package config

import (
	"github.com/go-python/gpython/ast"
)

// Module is a Python source parsed the way config files are (pre-lexed
// for the syntax gpython's grammar lacks, statements that do not parse
// blanked and reported), for other readers of Python source such as the
// knowledge base's extractor (kb/extract).
type Module struct {
	// Body is the module's statements; every position in them is the one
	// in the source given (lines 1-based, columns 0-based bytes).
	Body []ast.Stmt
	// Errors are the statements that did not parse and were left out.
	Errors   []ParseError
	fstrings map[[2]int]bool
}

// ParsePython parses one Python source; name is the file name in errors.
// A file that is refused as a whole (binary, too large) or that does not
// parse at all gives a Module without statements and with the reason in
// Errors. It never executes anything.
func ParsePython(name string, src []byte) *Module {
	m := &Module{}
	perr := func(line, col int, reason, skipped string) {
		m.Errors = append(m.Errors, ParseError{File: name, Line: line, Column: col, Reason: reason, Skipped: skipped})
	}
	pl, _, mod, _ := parseSource(name, src, perr)
	if pl == nil {
		return m
	}
	m.fstrings = pl.fstrings
	if mm, ok := mod.(*ast.Module); ok {
		m.Body = mm.Body
	}
	return m
}

// IsFString reports whether the string expression s is (or starts with)
// an f-string. The pre-lexer blanks the inside of an f-string's
// replacement fields, so such a value keeps its braces and literal text
// but not the expressions.
func (m *Module) IsFString(s *ast.Str) bool {
	return m.fstrings[[2]int{s.Lineno, s.ColOffset}]
}
