package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

// DefaultWidth is the width a table fits when none is known.
const DefaultWidth = 80

// displayWidth is the number of columns s takes on a terminal, colours
// left out.
func displayWidth(s string) int { return text.StringWidthWithoutEscSequences(s) }

// WriteTable renders a table that fits width columns (DefaultWidth when
// width is 0 or less): when the cells' natural widths do not fit, the
// widest columns shrink first and their cells wrap at spaces (long paths
// at slashes).
func WriteTable(w io.Writer, width int, header []string, rows [][]string) {
	if width <= 0 {
		width = DefaultWidth
	}
	cols := len(header)
	natural := naturalWidths(header, rows)
	// StyleLight: "│ " before each cell, " │" after the last.
	widths := fitWidths(natural, width-(3*cols+1))
	t := table.NewWriter()
	t.SetOutputMirror(w)
	t.SetStyle(table.StyleLight)
	t.Style().Options.SeparateRows = false
	hr := make(table.Row, cols)
	for i, h := range header {
		hr[i] = wrap(h, widths[i])
	}
	t.AppendHeader(hr)
	for _, r := range rows {
		tr := make(table.Row, cols)
		for i, c := range r {
			if natural[i] > widths[i] {
				c = wrap(c, widths[i])
			}
			tr[i] = c
		}
		t.AppendRow(tr)
	}
	t.Render()
}

// naturalWidths are the widths of the columns when nothing wraps.
func naturalWidths(header []string, rows [][]string) []int {
	natural := make([]int, len(header))
	for i, h := range header {
		natural[i] = displayWidth(h)
	}
	for _, r := range rows {
		for i, c := range r {
			for _, ln := range strings.Split(c, "\n") {
				natural[i] = max(natural[i], displayWidth(ln))
			}
		}
	}
	return natural
}

// fitWidths shrinks the natural column widths until their sum fits
// budget, the widest first; the last column, where the text is, counts
// half, so that it keeps about twice the width of the others. No column
// goes below 8 (a short word).
func fitWidths(natural []int, budget int) []int {
	out := append([]int(nil), natural...)
	sum := 0
	for _, x := range out {
		sum += x
	}
	const floor = 8
	last := len(out) - 1
	weight := func(i int) int {
		if i == last {
			return out[i]
		}
		return 2 * out[i]
	}
	for sum > budget {
		widest := -1
		for i, x := range out {
			if x > floor && (widest < 0 || weight(i) > weight(widest)) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		out[widest]--
		sum--
	}
	return out
}

// TableFits reports whether a table of columns with these natural widths
// fits width while its last column keeps at least min columns.
func TableFits(width int, natural []int, min int) bool {
	if width <= 0 {
		width = DefaultWidth
	}
	ws := fitWidths(natural, width-(3*len(natural)+1))
	return ws[len(ws)-1] >= min || ws[len(ws)-1] >= natural[len(natural)-1]
}

// wrap soft-wraps each line of s at width display columns, keeping its
// line breaks. A word longer than the width is broken after a slash (or
// another separator of paths and URLs) where it has one, else anywhere.
func wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, ln := range lines {
		lines[i] = strings.Join(wrapLine(ln, width), "\n")
	}
	return strings.Join(lines, "\n")
}

// wrapLine wraps one line into lines of at most width columns.
func wrapLine(ln string, width int) []string {
	if displayWidth(ln) <= width {
		return []string{ln}
	}
	var out []string
	cur := ""
	for _, word := range strings.Fields(ln) {
		for i, piece := range splitWord(word, width) {
			sep := " " // between words; the pieces of one word join
			if i > 0 {
				sep = ""
			}
			switch {
			case cur == "":
				cur = piece
			case displayWidth(cur)+len(sep)+displayWidth(piece) <= width:
				cur += sep + piece
			default:
				out = append(out, cur)
				cur = piece
			}
		}
	}
	if cur != "" || len(out) == 0 {
		out = append(out, cur)
	}
	return out
}

// splitWord breaks a word wider than width into pieces that fit, after
// a path or URL separator or a hyphen, underscore or dot where it can.
func splitWord(word string, width int) []string {
	var out []string
	for displayWidth(word) > width {
		cut, w := 0, 0
		lastSep := 0
		for i, r := range word {
			rw := text.RuneWidth(r)
			if w+rw > width {
				break
			}
			w += rw
			cut = i + len(string(r))
			if strings.ContainsRune("/,&?=-_.", r) {
				lastSep = cut
			}
		}
		if lastSep > 0 {
			cut = lastSep
		}
		if cut == 0 { // a rune wider than the column
			break
		}
		out = append(out, word[:cut])
		word = word[cut:]
	}
	return append(out, word)
}

// printWrapped prints s wrapped to width, the first line after first and
// the others after rest (a hanging indent).
func printWrapped(w io.Writer, width int, first, rest, s string) {
	room := width - max(displayWidth(first), displayWidth(rest))
	for i, ln := range wrapLine(s, max(room, 20)) {
		p := rest
		if i == 0 {
			p = first
		}
		fmt.Fprintf(w, "%s%s\n", p, ln)
	}
}

// printCommand prints a shell command of the plan so that it fits width:
// its trailing "# comment" goes on a line of its own above it, and a long
// command continues on the next lines after " \", broken between words
// outside quotes, so that it still pastes as one command. A word wider
// than a line (a long path, a quoted script) is broken inside itself the
// way the shell joins it again (wordBreaks).
func printCommand(w io.Writer, width int, indent, cmd string) {
	if displayWidth(indent+"$ "+cmd) <= width {
		fmt.Fprintf(w, "%s$ %s\n", indent, cmd)
		return
	}
	code, comment := splitComment(cmd)
	if comment != "" {
		printWrapped(w, width, indent+"# ", indent+"# ", comment)
		cmd = code
	}
	words := shellWords(cmd)
	line := indent + "$ "
	next := indent + "    " // a continuation line between words
	for i, word := range words {
		tail := 2 // room for " \" after the word
		if i == len(words)-1 {
			tail = 0
		}
		if i > 0 {
			if displayWidth(line)+1+displayWidth(word)+tail > width {
				fmt.Fprintf(w, "%s \\\n", line)
				line = next
			} else {
				line += " "
			}
		}
		line = printWordBroken(w, width, line, next, word, tail)
	}
	fmt.Fprintln(w, line)
}

// printWordBroken appends word to line, printing the lines it fills when
// it does not fit, and returns the line it ends on. Breaks are taken as
// far along as they fit, after a separator (a space, slash, dot, ...)
// where one falls in the last half of the room; where none fits, the line
// runs on to the first break.
func printWordBroken(w io.Writer, width int, line, next, word string, tail int) string {
	if displayWidth(line)+displayWidth(word)+tail <= width {
		return line + word
	}
	breaks := wordBreaks(word)
	pos, reopen := 0, ""
	for displayWidth(line)+displayWidth(reopen+word[pos:])+tail > width {
		room := width - displayWidth(line)
		best, bestNice := -1, -1
		for b := pos + 1; b < len(word); b++ {
			k := breaks[b]
			if k == breakNone {
				continue
			}
			if displayWidth(reopen+word[pos:b])+len(k.close()) > room {
				break
			}
			best = b
			if k == breakSpace || strings.ContainsRune(" /;,.:=&|-_", rune(word[b-1])) {
				if displayWidth(reopen+word[pos:b]) >= room/2 {
					bestNice = b
				}
			}
		}
		if bestNice > 0 {
			best = bestNice
		}
		if best < 0 {
			// No break fits: the line overflows up to the first one.
			for b := pos + 1; b < len(word) && best < 0; b++ {
				if breaks[b] != breakNone {
					best = b
				}
			}
			if best < 0 {
				break // none at all: the rest of the word goes on whole
			}
		}
		k := breaks[best]
		fmt.Fprintf(w, "%s%s%s\n", line, reopen+word[pos:best], k.close())
		line, reopen, pos = "", k.reopen(), best
		if k == breakSpace {
			line, pos = next, best+1
		}
	}
	return line + reopen + word[pos:]
}

// breakKind is how a shell word may be broken before one of its bytes
// so that the shell reads the same word.
type breakKind byte

const (
	breakNone breakKind = iota
	// breakPlain: outside quotes, "\" and a newline, which the shell
	// removes; the next line starts at its first column.
	breakPlain
	// breakSingle, breakDouble: inside single or double quotes, close
	// them, "\" and a newline, and open them again on the next line
	// ('ab'\<newline>'cd' is abcd).
	breakSingle
	breakDouble
	// breakSpace: at a space between the words of a command
	// substitution, " \" and a newline: the next line may be indented.
	breakSpace
)

// close is what ends the line at a break.
func (k breakKind) close() string {
	switch k {
	case breakSingle:
		return "'\\"
	case breakDouble:
		return "\"\\"
	case breakSpace:
		return " \\"
	}
	return "\\"
}

// reopen is what begins the next line after a break.
func (k breakKind) reopen() string {
	switch k {
	case breakSingle:
		return "'"
	case breakDouble:
		return "\""
	}
	return ""
}

// wordBreaks returns, for each byte of a shell word, how the word may be
// broken before it: where the quoting is plain (outside quotes, or inside
// one level of single or double quotes), and at the spaces between the
// words of a $(...) command substitution. Never inside ${...}, backticks
// or quotes within a substitution, after a "$" or between a backslash and
// the character it escapes, nor inside a UTF-8 sequence.
func wordBreaks(word string) []breakKind {
	const (
		plain  = iota // outside quotes
		single        // '...'
		double        // "..."
		subst         // $( ... ), outside quotes within it
		opaque        // ${...}, `...`, quotes within a substitution: until close
	)
	type frame struct {
		kind  int
		close byte // opaque: the byte that ends it
		depth int  // subst: parentheses open within it
	}
	stack := []frame{{kind: plain}}
	out := make([]breakKind, len(word)+1)
	escaped := false
	for i := 0; i < len(word); i++ {
		c := word[i]
		top := &stack[len(stack)-1]
		if i > 0 && !escaped && word[i-1] != '$' && utf8.RuneStart(c) {
			switch {
			case len(stack) == 1:
				out[i] = breakPlain
			case len(stack) == 2 && top.kind == single:
				out[i] = breakSingle
			case len(stack) == 2 && top.kind == double:
				out[i] = breakDouble
			case top.kind == subst && c == ' ':
				out[i] = breakSpace
			}
		}
		if escaped {
			escaped = false
			continue
		}
		switch top.kind {
		case single:
			if c == '\'' {
				stack = stack[:len(stack)-1]
			}
			continue
		case opaque:
			switch {
			case c == '\\' && top.close != '\'':
				escaped = true
			case c == top.close:
				stack = stack[:len(stack)-1]
			}
			continue
		}
		switch {
		case c == '\\':
			escaped = true
		case c == '$' && i+1 < len(word) && word[i+1] == '(':
			stack = append(stack, frame{kind: subst})
			i++
		case c == '$' && i+1 < len(word) && word[i+1] == '{':
			stack = append(stack, frame{kind: opaque, close: '}'})
			i++
		case c == '`':
			stack = append(stack, frame{kind: opaque, close: '`'})
		case top.kind == double:
			if c == '"' {
				stack = stack[:len(stack)-1]
			}
		case top.kind == subst:
			switch c {
			case '\'', '"':
				stack = append(stack, frame{kind: opaque, close: c})
			case '(':
				top.depth++
			case ')':
				if top.depth == 0 {
					stack = stack[:len(stack)-1]
				} else {
					top.depth--
				}
			}
		case c == '\'':
			stack = append(stack, frame{kind: single})
		case c == '"':
			stack = append(stack, frame{kind: double})
		}
	}
	return out
}

// eachUnquoted calls f with the index and rune of each character of cmd
// outside single or double quotes (the quote marks left out) until f
// returns false.
func eachUnquoted(cmd string, f func(i int, r rune) bool) {
	var quote rune
	for i, r := range cmd {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		default:
			if !f(i, r) {
				return
			}
		}
	}
}

// splitComment splits "cmd   # comment" into the command and the comment
// (a # outside quotes, after a space).
func splitComment(cmd string) (code, comment string) {
	code = cmd
	eachUnquoted(cmd, func(i int, r rune) bool {
		if r == '#' && i > 0 && cmd[i-1] == ' ' {
			code, comment = strings.TrimRight(cmd[:i], " "), strings.TrimSpace(cmd[i+1:])
			return false
		}
		return true
	})
	return code, comment
}

// shellWords splits a command at the spaces outside quotes, keeping the
// quotes.
func shellWords(cmd string) []string {
	var out []string
	start := 0
	eachUnquoted(cmd, func(i int, r rune) bool {
		if r == ' ' {
			if i > start {
				out = append(out, cmd[start:i])
			}
			start = i + 1
		}
		return true
	})
	if start < len(cmd) { // the last word (or an unclosed quote)
		out = append(out, cmd[start:])
	}
	return out
}
