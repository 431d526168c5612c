package config

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/hubaudit/hubaudit/internal/lazyre"
)

// The pre-lexer turns modern Python source into source that gpython's
// Python 3.4 grammar accepts, without moving anything: every rewrite
// replaces bytes with the same number of bytes, so the line and column of
// every token the parser sees is the one in the original file.
//
// What it rewrites (only what the 3.4 grammar lacks):
//   - f-strings: the f prefix becomes u (rf/fr become " r") and the inside
//     of each replacement field is blanked, so the literal parses as a
//     plain string; its position is remembered so that the extractor does
//     not take it for a literal value;
//   - async def / async for / async with: the keyword moves left over
//     "async" and the rest is padded with spaces; await becomes "not  ";
//   - variable annotations (x: T = v, c.A.b: T = v, x: T): the ": T" part
//     becomes spaces;
//   - the walrus operator := becomes ==;
//   - PEP 448 unpacking outside function parameters: *x and **x become
//     " x" and "  x", and **x in a dict display becomes "0:x";
//   - underscores in number literals move to the end as spaces
//     (1_000 becomes "1000 ");
//   - a trailing comma after the last parameter of a def becomes a space;
//   - match/case statements read as if statements (see softKeyword),
//     except* loses its star, type aliases become assignments, the type
//     parameters of def f[T] / class C[T] are blanked, the @ operator
//     becomes *, "as" in a parenthesized with becomes "or", and a decorator
//     that is not a dotted name (PEP 614) becomes "_".
//
// It also records comments (for suppressions), the first line of every
// top-level statement (for error recovery) and brackets left open at the
// end of the file.

// tokKind classifies pre-lexer tokens.
type tokKind int

const (
	tkName tokKind = iota
	tkNumber
	tkString
	tkOp
	tkComment
	tkNewline // end of a logical line
	tkNL      // newline that does not end a logical line
)

type token struct {
	kind  tokKind
	start int // byte offset in the source
	end   int
	line  int // 1-based
	col   int // 0-based byte column
	depth int // bracket depth before the token
	// fstring is set for string tokens with an f prefix.
	fstring bool
	// text is the original text of names, numbers and operators.
	text string
}

// prelexed is the result of the pre-lexer.
type prelexed struct {
	src    []byte
	tokens []token
	// fstrings holds the positions ("line:col", col 0-based) where a
	// string expression that contains an f-string starts in the rewritten
	// source.
	fstrings map[[2]int]bool
	// unpackKeys are the positions of the 0 keys that stand for **x in
	// dict displays, and of the expressions that followed a blanked * or
	// **: neither is a literal element.
	unpackKeys map[[2]int]bool
	// stmtLines are the first lines of top-level statements.
	stmtLines []int
	// softStarts maps recovery lines inside open brackets to the
	// position of the innermost open bracket.
	softStarts map[int][2]int
	// open is the position of the first bracket still open at the end.
	openLine, openCol int
	// unterminated is the line of a string that does not end.
	unterminatedLine int
	// rewrites counts the rewritten constructs by kind.
	rewrites map[string]int
}

var compoundKeywords = map[string]bool{
	"if": true, "elif": true, "else": true, "for": true, "while": true, "try": true,
	"except": true, "finally": true, "with": true, "def": true, "class": true,
	"async": true, "lambda": true, "match": true, "case": true,
}

// prelex rewrites src (valid UTF-8 expected; other bytes are treated as
// identifier characters) and returns the rewritten copy with its tokens.
func prelex(in []byte) *prelexed {
	src := append([]byte(nil), in...)
	p := &prelexed{src: src, fstrings: map[[2]int]bool{}, unpackKeys: map[[2]int]bool{}, rewrites: map[string]int{}}
	p.tokenize()
	p.rewrite()
	return p
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// opLen is the length of the operator at the start of b.
func opLen(b []byte) int {
	if len(b) >= 3 {
		switch string(b[:3]) {
		case "**=", "//=", ">>=", "<<=", "...":
			return 3
		}
	}
	if len(b) >= 2 {
		switch string(b[:2]) {
		case "**", "//", ">>", "<<", "<=", ">=", "==", "!=", "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ":=":
			return 2
		}
	}
	return 1
}

// tokenize splits p.src into tokens. It never fails: an unterminated
// string runs to the end of the file and is recorded.
func (p *prelexed) tokenize() {
	s := p.src
	p.tokens = make([]token, 0, len(s)/3+16)
	intern := map[string]string{}
	name := func(b []byte) string {
		if v, ok := intern[string(b)]; ok {
			return v
		}
		v := string(b)
		intern[v] = v
		return v
	}
	line, lineStart := 1, 0
	depth := 0
	var stack []token
	atLineStart := true // no token yet on this logical line
	contLine := false   // logical line continues (backslash)
	i := 0
	emit := func(t token) {
		p.tokens = append(p.tokens, t)
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\n' || c == '\r':
			n := 1
			if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				n = 2
			}
			t := token{kind: tkNL, start: i, end: i + n, line: line, col: i - lineStart, depth: depth}
			if depth == 0 && !atLineStart && !contLine {
				t.kind = tkNewline
				atLineStart = true
			}
			contLine = false
			emit(t)
			i += n
			line++
			lineStart = i
			continue
		case c == ' ' || c == '\t' || c == '\f':
			i++
			continue
		case c == '\\' && i+1 < len(s) && (s[i+1] == '\n' || s[i+1] == '\r'):
			contLine = true
			i++
			n := 1
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				n = 2
			}
			i += n
			line++
			lineStart = i
			continue
		case c == '#':
			j := i
			for j < len(s) && s[j] != '\n' && s[j] != '\r' {
				j++
			}
			emit(token{kind: tkComment, start: i, end: j, line: line, col: i - lineStart, depth: depth})
			i = j
			continue
		}
		// A real token.
		if atLineStart && depth == 0 && i-lineStart == 0 {
			p.stmtLines = append(p.stmtLines, line)
		} else if depth > 0 && i == lineStart && isIdentStart(c) && (len(p.tokens) == 0 || p.tokens[len(p.tokens)-1].line < line) {
			// A line at column 0 inside an open bracket: most likely a
			// new statement after a bracket that was never closed. It is
			// a recovery point for the parser.
			p.stmtLines = append(p.stmtLines, line)
			if p.softStarts == nil {
				p.softStarts = map[int][2]int{}
			}
			p.softStarts[line] = [2]int{stack[len(stack)-1].line, stack[len(stack)-1].col}
		}
		atLineStart = false
		tok := token{start: i, line: line, col: i - lineStart, depth: depth}
		switch {
		case isIdentStart(c):
			j := i
			for j < len(s) && isIdentChar(s[j]) {
				j++
			}
			// String prefix?
			if j < len(s) && (s[j] == '"' || s[j] == '\'') && j-i <= 2 && isStringPrefix(string(s[i:j])) {
				tok.kind = tkString
				tok.fstring = strings.ContainsAny(string(s[i:j]), "fF")
				end, nl, ok := p.scanString(j, tok.fstring, strings.ContainsAny(string(s[i:j]), "rR"))
				if !ok && p.unterminatedLine == 0 {
					p.unterminatedLine = line
				}
				tok.end = end
				line += nl
				if nl > 0 {
					lineStart = lastLineStart(s, end)
				}
				emit(tok)
				i = end
				continue
			}
			tok.kind = tkName
			tok.end = j
			tok.text = name(s[i:j])
			emit(tok)
			i = j
			continue
		case c == '"' || c == '\'':
			tok.kind = tkString
			end, nl, ok := p.scanString(i, false, false)
			if !ok && p.unterminatedLine == 0 {
				p.unterminatedLine = line
			}
			tok.end = end
			line += nl
			if nl > 0 {
				lineStart = lastLineStart(s, end)
			}
			emit(tok)
			i = end
			continue
		case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
			j := i
			for j < len(s) {
				d := s[j]
				if isIdentChar(d) || d == '.' {
					j++
					continue
				}
				if (d == '+' || d == '-') && (s[j-1] == 'e' || s[j-1] == 'E') && !isHex(s[i:j]) {
					j++
					continue
				}
				break
			}
			tok.kind = tkNumber
			tok.end = j
			tok.text = name(s[i:j])
			emit(tok)
			i = j
			continue
		}
		tok.kind = tkOp
		n := opLen(s[i:])
		tok.end = i + n
		tok.text = name(s[i : i+n])
		switch c {
		case '(', '[', '{':
			stack = append(stack, tok)
			depth++
		case ')', ']', '}':
			if depth > 0 {
				depth--
				stack = stack[:len(stack)-1]
			}
		}
		emit(tok)
		i += n
	}
	if len(stack) > 0 {
		p.openLine, p.openCol = stack[0].line, stack[0].col
	}
	if len(p.tokens) > 0 && p.tokens[len(p.tokens)-1].kind != tkNewline {
		p.tokens = append(p.tokens, token{kind: tkNewline, start: len(s), end: len(s), line: line, col: len(s) - lineStart})
	}
}

func isHex(b []byte) bool {
	return len(b) > 1 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')
}

func countIndentBytes(b []byte) int {
	n := 0
	for n < len(b) && (b[n] == ' ' || b[n] == '\t' || b[n] == '\f') {
		n++
	}
	return n
}

func lastLineStart(s []byte, end int) int {
	k := bytes.LastIndexAny(s[:end], "\r\n")
	return k + 1
}

func isStringPrefix(p string) bool {
	switch strings.ToLower(p) {
	case "r", "u", "b", "f", "br", "rb", "fr", "rf":
		return true
	}
	return false
}

// scanString scans a string literal whose opening quote is at q. It
// returns the end offset, the number of newlines inside, and whether the
// string was terminated. In an f-string it blanks the inside of each
// replacement field (nested strings included).
func (p *prelexed) scanString(q int, fstr, raw bool) (end, newlines int, ok bool) {
	s := p.src
	quote := s[q]
	triple := q+2 < len(s) && s[q+1] == quote && s[q+2] == quote
	i := q + 1
	if triple {
		i = q + 3
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 < len(s) && s[i+1] == '\n' {
				newlines++
			}
			i += 2
			continue
		case c == '\n' || c == '\r':
			if !triple {
				return i, newlines, false
			}
			if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			newlines++
			i++
			continue
		case c == quote:
			if !triple {
				return i + 1, newlines, true
			}
			if i+2 < len(s) && s[i+1] == quote && s[i+2] == quote {
				return i + 3, newlines, true
			}
		case fstr && c == '{':
			if i+1 < len(s) && s[i+1] == '{' {
				i += 2
				continue
			}
			j, nl := p.blankField(i+1, quote, triple)
			newlines += nl
			i = j
			continue
		}
		i++
	}
	_ = raw
	if i > len(s) {
		i = len(s)
	}
	return i, newlines, false
}

// blankField blanks an f-string replacement field starting after its '{'
// up to the matching '}' (left in place), stepping over nested strings and
// brackets. Newlines are kept so that line numbers stay exact.
func (p *prelexed) blankField(i int, quote byte, triple bool) (end, newlines int) {
	s := p.src
	depth := 0
	blank := func(k int) {
		if s[k] != '\n' && s[k] != '\r' {
			s[k] = ' '
		} else if s[k] == '\n' {
			newlines++
		}
	}
	for i < len(s) {
		c := s[i]
		switch c {
		case '{', '(', '[':
			depth++
		case ')', ']':
			depth--
		case '}':
			if depth == 0 {
				return i + 1, newlines
			}
			depth--
		case '\'', '"':
			// A string inside the field: the enclosing quote ends the
			// f-string unless Python 3.12 nesting applies; a non-triple
			// field cannot span lines, so stop at a newline.
			q := c
			if q == quote && !triple {
				// Python 3.12 allows reusing the quote; treat it as nested
				// when a matching quote follows before the line ends.
				k := bytes.IndexByte(s[i+1:], q)
				nl := bytes.IndexAny(s[i+1:], "\r\n")
				if k < 0 || (nl >= 0 && nl < k) {
					return i, newlines
				}
			}
			blank(i)
			i++
			for i < len(s) && s[i] != q {
				if s[i] == '\\' && i+1 < len(s) {
					blank(i)
					i++
				}
				if !triple && (s[i] == '\n' || s[i] == '\r') {
					return i, newlines
				}
				blank(i)
				i++
			}
			if i < len(s) {
				blank(i)
				i++
			}
			continue
		case '\n', '\r':
			if !triple {
				return i, newlines
			}
		}
		blank(i)
		i++
	}
	return i, newlines
}

// rewrite applies the same-length rewrites over the tokens.
func (p *prelexed) rewrite() {
	s := p.src
	toks := p.tokens
	set := func(at int, repl string) {
		copy(s[at:at+len(repl)], repl)
	}
	blankRange := func(a, b int) {
		for k := a; k < b; k++ {
			if s[k] != '\n' && s[k] != '\r' {
				s[k] = ' '
			}
		}
	}
	// Per bracket: is it a def parameter list? Lambda parameters are
	// tracked by depth.
	type br struct {
		open   byte
		params bool
	}
	var stack []br
	lambdaAt := map[int]bool{} // depth -> in lambda params
	prevSig := -1              // index of the previous significant token
	lineFirst := -1            // index of the first token of the logical line
	annDone := false           // the logical line had its annotation handled
	runStart := -1             // first token of a run of adjacent strings
	runF := false
	flushRun := func() {
		if runStart >= 0 && runF {
			t := toks[runStart]
			p.fstrings[[2]int{t.line, t.col + p.fShift(runStart)}] = true
		}
		runStart, runF = -1, false
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tkComment || t.kind == tkNL {
			continue
		}
		if t.kind == tkNewline {
			flushRun()
			prevSig, lineFirst, annDone = -1, -1, false
			lambdaAt = map[int]bool{}
			continue
		}
		if lineFirst < 0 {
			lineFirst = i
		}
		text := t.text
		if t.kind == tkString {
			if runStart < 0 {
				runStart = i
			}
			if t.fstring {
				runF = true
				p.rewrites["f-string"]++
				p.rewriteFPrefix(t)
			}
			prevSig = i
			continue
		}
		flushRun()
		prev := ""
		if prevSig >= 0 {
			pt := toks[prevSig]
			prev = pt.text
			if pt.kind == tkString {
				prev = "'str'"
			}
		}
		switch t.kind {
		case tkNumber:
			if strings.Contains(text, "_") {
				p.rewrites["number underscore"]++
				digits := strings.ReplaceAll(text, "_", "")
				set(t.start, digits+strings.Repeat(" ", len(text)-len(digits)))
			}
		case tkName:
			if i == lineFirst && (text == "match" || text == "case" || text == "type") {
				if p.softKeyword(i) {
					prevSig = i
					continue
				}
			}
			switch text {
			case "except":
				// except* (3.11): the star goes.
				if n := p.nextSig(i); n >= 0 && toks[n].kind == tkOp && toks[n].text == "*" {
					p.rewrites["except*"]++
					set(toks[n].start, " ")
					i = n
				}
			case "def", "class":
				// def f[T](...) / class C[T]: (3.12 type parameters) lose
				// the bracket.
				if n := p.nextSig(i); n >= 0 && toks[n].kind == tkName {
					if b := p.nextSig(n); b >= 0 && toks[b].kind == tkOp && toks[b].text == "[" {
						if e := p.closing(b); e > b {
							p.rewrites["type parameters"]++
							blankRange(toks[b].start, toks[e].end)
							prevSig = n
							i = e
							continue
						}
					}
				}
			case "with":
				// with (a as x, b as y): (3.10): "as" becomes "or", so the
				// brackets hold one tuple expression.
				if n := p.nextSig(i); n >= 0 && toks[n].kind == tkOp && toks[n].text == "(" {
					if e := p.closing(n); e > n {
						if c := p.nextSig(e); c >= 0 && toks[c].text == ":" {
							d := toks[n].depth + 1
							for j := n + 1; j < e; j++ {
								if toks[j].kind == tkName && toks[j].text == "as" && toks[j].depth == d {
									p.rewrites["parenthesized with"]++
									set(toks[j].start, "or")
								}
							}
						}
					}
				}
			case "async":
				if n := p.nextSig(i); n >= 0 {
					nt := toks[n]
					kw := nt.text
					if kw == "def" || kw == "for" || kw == "with" {
						p.rewrites["async"]++
						blankRange(t.start, nt.end)
						set(t.start, kw)
						i = n
						if kw == "def" {
							prevSig = n
							// def handling below needs the def token.
							text = "def"
						}
					}
				}
			case "await":
				if n := p.nextSig(i); n >= 0 && toks[n].kind != tkNewline {
					nt := toks[n].text
					if nt != "=" && nt != "." && nt != "," && nt != ")" && nt != "]" && nt != "}" && nt != ":" {
						p.rewrites["await"]++
						set(t.start, "not  ")
					}
				}
			case "lambda":
				lambdaAt[t.depth] = true
			}
		case tkOp:
			switch {
			case text == "(" || text == "[" || text == "{":
				params := false
				if text == "(" && prevSig >= 1 {
					pp := toks[prevSig-1]
					if toks[prevSig].kind == tkName && pp.text == "def" {
						params = true
					}
				}
				stack = append(stack, br{open: text[0], params: params})
			case text == ")" || text == "]" || text == "}":
				if len(stack) > 0 {
					top := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					if top.params && text == ")" && prevSig >= 0 && prev == "," {
						// def f(a, **kw,): the 3.4 grammar refuses it.
						pt := toks[prevSig]
						if p.lastParamIsStar(prevSig) {
							p.rewrites["trailing comma"]++
							set(pt.start, " ")
						}
					}
				}
				delete(lambdaAt, t.depth)
			case text == "/" && prev == "," && (len(stack) > 0 && stack[len(stack)-1].params && t.depth == len(stack) || lambdaAt[t.depth]):
				// def f(a, /, b): positional-only marker (3.8). Blank it
				// with the comma before it.
				p.rewrites["positional-only"]++
				set(toks[prevSig].start, " ")
				set(t.start, " ")
			case text == ":=":
				p.rewrites["walrus"]++
				set(t.start, "==")
			case (text == "@" || text == "@=") && i != lineFirst:
				// Matrix multiplication (3.5); a decorator starts its line.
				p.rewrites["matmul"]++
				set(t.start, "*")
			case text == "@" && i == lineFirst:
				if end, ok := p.relaxedDecorator(i); ok {
					// @buttons[0].clicked (3.9): any expression; it
					// becomes the name _.
					p.rewrites["decorator expression"]++
					blankRange(toks[i+1].start, end)
					set(toks[i+1].start, "_")
					for i+1 < len(toks) && toks[i+1].kind != tkNewline && toks[i+1].start < end {
						i++
					}
					prevSig = i
					continue
				}
			case text == ":":
				if lambdaAt[t.depth] {
					delete(lambdaAt, t.depth)
					break
				}
				if t.depth == 0 && !annDone && lineFirst >= 0 {
					annDone = true
					ft := toks[lineFirst]
					first := ft.text
					if ft.kind == tkName && compoundKeywords[first] || ft.kind == tkOp && first == "@" {
						break
					}
					// An annotation: blank ": T" up to "=" at depth 0 or
					// the end of the logical line.
					end := len(s)
					j := i + 1
					for ; j < len(toks); j++ {
						u := toks[j]
						if u.kind == tkNewline {
							end = u.start
							break
						}
						if u.kind == tkComment {
							continue
						}
						if u.depth == 0 && u.kind == tkOp && u.text == "=" {
							end = u.start
							break
						}
					}
					p.rewrites["annotation"]++
					blankRange(t.start, end)
					// Skip the blanked tokens, keeping the bracket stack
					// balanced (blanked brackets no longer exist).
					i = j - 1
					if j < len(toks) && toks[j].kind != tkNewline {
						i = j - 1
					}
					prevSig = -1
					continue
				}
			case text == "*" || text == "**":
				unary := prevSig < 0 || prev == "(" || prev == "[" || prev == "{" || prev == "," ||
					prev == "=" || prev == ":" || prev == "return" || prev == "yield" || prev == "in" || prev == "lambda"
				if !unary {
					break
				}
				inParams := len(stack) > 0 && stack[len(stack)-1].params && t.depth == len(stack)
				if inParams || lambdaAt[t.depth] {
					break
				}
				if t.depth == 0 && prevSig < 0 || t.depth == 0 && prev == "," && p.assignIn(lineFirst, i) < 0 && p.assignIn(i+1, len(toks)) >= 0 {
					// a, *b = x: a star target, fine in 3.4 (but
					// return 1, *a is an unpacking).
					break
				}
				p.rewrites["unpacking"]++
				if text == "**" && len(stack) > 0 && stack[len(stack)-1].open == '{' {
					set(t.start, "0:")
					p.unpackKeys[[2]int{t.line, t.col}] = true
				} else {
					set(t.start, strings.Repeat(" ", len(text)))
					p.unpackKeys[[2]int{t.line, t.col + len(text)}] = true
				}
			}
		}
		prevSig = i
	}
	flushRun()
}

// closing returns the index of the bracket token that closes the one at
// open (-1 when the line ends first).
func (p *prelexed) closing(open int) int {
	d := p.tokens[open].depth
	for j := open + 1; j < len(p.tokens); j++ {
		t := p.tokens[j]
		if t.kind == tkNewline {
			return -1
		}
		if t.kind == tkOp && t.depth == d+1 && (t.text == ")" || t.text == "]" || t.text == "}") {
			return j
		}
	}
	return -1
}

// softKeyword rewrites a statement that starts with one of the soft
// keywords of Python 3.10-3.12, in place and without moving anything:
//
//	match SUBJECT:        ->  if    SUBJECT:
//	case PATTERN if G:    ->  if  PATTERN or G:   (also "as" -> "or")
//	type X[T] = V         ->  _ =  X[T] = V
//
// A case pattern then reads as an expression (alternatives with |, class
// patterns as calls, mapping and sequence patterns as displays), so the
// statements in each branch are analysed like those of an if. It reports
// whether the line was such a statement; a name that merely is "match",
// "case" or "type" (match = ..., type(x)) is left alone.
func (p *prelexed) softKeyword(i int) bool {
	toks := p.tokens
	t := toks[i]
	n := p.nextSig(i)
	if n < 0 || toks[n].kind == tkNewline {
		return false
	}
	next := toks[n]
	if next.kind == tkOp {
		switch next.text {
		case "(", "[", "{", "-", "+", "~", "*":
			// may start the subject or pattern
		default:
			return false // match = ..., case.x, type: int ...
		}
	}
	// The last significant token of the logical line, and its first "=".
	last := -1
	for j := n; j < len(toks) && toks[j].kind != tkNewline; j++ {
		if toks[j].kind != tkComment && toks[j].kind != tkNL {
			last = j
		}
	}
	eq := p.assignIn(n, len(toks))
	if last < 0 {
		return false
	}
	set := func(at int, repl string) { copy(p.src[at:at+len(repl)], repl) }
	switch t.text {
	case "type":
		// type NAME [params] = value
		if next.kind != tkName || eq < 0 || toks[last].text == ":" {
			return false
		}
		if b := p.nextSig(n); b != eq && !(toks[b].text == "[" && p.closing(b)+1 == eq) {
			return false
		}
		p.rewrites["type alias"]++
		set(t.start, "_ = ")
		return true
	case "match", "case":
		if toks[last].kind != tkOp || toks[last].text != ":" || toks[last].depth != 0 || eq >= 0 {
			return false
		}
		p.rewrites[t.text]++
		set(t.start, "if"+strings.Repeat(" ", len(t.text)-2))
		if t.text == "case" {
			for j := n; j < last; j++ {
				u := toks[j]
				if u.kind == tkName && (u.text == "as" || u.text == "if" && u.depth == 0) {
					set(u.start, "or")
				}
			}
		}
		return true
	}
	return false
}

// fShift is how far right the rewritten string token starts compared to
// the original one (rf"..." becomes " r"...").
func (p *prelexed) fShift(i int) int {
	t := p.tokens[i]
	if p.src[t.start] == ' ' {
		return 1
	}
	return 0
}

// rewriteFPrefix turns the f prefix into something the 3.4 lexer accepts.
func (p *prelexed) rewriteFPrefix(t token) {
	s := p.src
	k := t.start
	for k < t.end && s[k] != '"' && s[k] != '\'' {
		k++
	}
	prefix := strings.ToLower(string(s[t.start:k]))
	switch prefix {
	case "f":
		s[t.start] = 'u'
	case "fr":
		s[t.start] = ' '
	case "rf":
		s[t.start] = ' '
		s[t.start+1] = 'r'
	}
}

func (p *prelexed) nextSig(i int) int {
	for j := i + 1; j < len(p.tokens); j++ {
		switch p.tokens[j].kind {
		case tkComment, tkNL:
			continue
		}
		return j
	}
	return -1
}

// lastParamIsStar reports whether the parameter ending at the comma token
// ci starts with * or **.
func (p *prelexed) lastParamIsStar(ci int) bool {
	depth := p.tokens[ci].depth
	for j := ci - 1; j >= 0; j-- {
		t := p.tokens[j]
		if t.depth < depth {
			return false
		}
		if t.depth > depth || t.kind != tkOp {
			continue
		}
		x := t.text
		if x == "," {
			return false
		}
		if x == "*" || x == "**" {
			// The star must start the parameter (a parameter list
			// written one per line has newlines and comments between).
			k := j - 1
			for k >= 0 && (p.tokens[k].kind == tkNL || p.tokens[k].kind == tkComment) {
				k--
			}
			if k < 0 {
				return false
			}
			px := p.tokens[k].text
			return px == "," || px == "("
		}
	}
	return false
}

// assignIn returns the index of the first "=" at depth 0 among tokens
// from..to (exclusive) of one logical line, or -1.
func (p *prelexed) assignIn(from, to int) int {
	for j := max(from, 0); j < to && j < len(p.tokens); j++ {
		t := p.tokens[j]
		if t.kind == tkNewline {
			return -1
		}
		if t.depth == 0 && t.kind == tkOp && t.text == "=" {
			return j
		}
	}
	return -1
}

// relaxedDecorator reports whether the decorator at token i (an "@" that
// starts its line) is an expression the 3.4 grammar refuses (anything but
// a dotted name with an optional call) written on one line, and where
// its expression ends.
func (p *prelexed) relaxedDecorator(i int) (end int, ok bool) {
	toks := p.tokens
	j := i + 1
	if j >= len(toks) || toks[j].kind != tkName {
		return 0, false
	}
	// dotted name
	for j+2 < len(toks) && toks[j+1].kind == tkOp && toks[j+1].text == "." && toks[j+2].kind == tkName {
		j += 2
	}
	k := j + 1
	if k < len(toks) && toks[k].kind == tkOp && toks[k].text == "(" {
		if c := p.closing(k); c > k {
			k = c + 1
		}
	}
	for k < len(toks) && toks[k].kind == tkComment {
		k++
	}
	if k >= len(toks) || toks[k].kind == tkNewline {
		return 0, false // the 3.4 form
	}
	// Anything else: take the rest of the line if it is all on it.
	line := toks[i].line
	last := -1
	for k = i + 1; k < len(toks) && toks[k].kind != tkNewline; k++ {
		if toks[k].kind == tkComment {
			continue
		}
		if toks[k].line != line || toks[k].kind == tkNL {
			return 0, false
		}
		last = k
	}
	if last < 0 {
		return 0, false
	}
	return toks[last].end, true
}

// commentRE matches an inline suppression comment.
var suppressRE = lazyre.New(`^#\s*hubaudit:\s*ignore\[([^\]]*)\]\s*(.*)$`)

// rawSuppression is a suppression comment found by the pre-lexer.
type rawSuppression struct {
	rules  []string
	reason string
	line   int // the line it applies to
	at     int // the line of the comment
	col    int
}

// suppressions finds "# hubaudit: ignore[...] reason" comments. A comment
// after code applies to its own line; a comment alone on its line applies
// to the next line with code.
func (p *prelexed) suppressions() []rawSuppression {
	var out []rawSuppression
	for i, t := range p.tokens {
		if t.kind != tkComment {
			continue
		}
		m := suppressRE().FindSubmatch(p.src[t.start:t.end])
		if m == nil {
			continue
		}
		var rules []string
		for _, r := range strings.Split(string(m[1]), ",") {
			if r = strings.TrimSpace(r); r != "" {
				rules = append(rules, strings.ToUpper(r))
			}
		}
		reason := string(m[2])
		if k := strings.Index(" "+reason, " #"); k >= 0 {
			reason = (" " + reason)[:k]
		}
		s := rawSuppression{rules: rules, reason: strings.TrimSpace(reason), line: t.line, at: t.line, col: t.col}
		alone := i == 0 || p.tokens[i-1].line != t.line || p.tokens[i-1].kind == tkNL || p.tokens[i-1].kind == tkNewline
		if alone {
			for j := i + 1; j < len(p.tokens); j++ {
				u := p.tokens[j]
				if u.kind == tkComment || u.kind == tkNL || u.kind == tkNewline {
					continue
				}
				s.line = u.line
				break
			}
		}
		out = append(out, s)
	}
	return out
}

// sanitizeUTF8 replaces each byte of an invalid UTF-8 sequence with '?'
// (same length) and returns the position of the first one (line 0 when
// the input was valid).
func sanitizeUTF8(b []byte) (out []byte, line, col int) {
	if utf8.Valid(b) {
		return b, 0, 0
	}
	out = append([]byte(nil), b...)
	ln, ls := 1, 0
	for i := 0; i < len(out); {
		if out[i] == '\n' {
			ln++
			ls = i + 1
			i++
			continue
		}
		r, n := utf8.DecodeRune(out[i:])
		if r == utf8.RuneError && n <= 1 {
			if line == 0 {
				line, col = ln, i-ls+1
			}
			out[i] = '?'
			i++
			continue
		}
		i += n
	}
	return out, line, col
}
