package report

import (
	"fmt"
	"io"
	"strings"

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
// command continues on the next lines after " \", broken only between
// words outside quotes, so that it still pastes as one command.
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
	start := true
	for _, word := range words {
		if !start && displayWidth(line)+1+displayWidth(word)+2 > width {
			fmt.Fprintf(w, "%s \\\n", line)
			line = indent + "    " + word
			continue
		}
		if !start {
			line += " "
		}
		line += word
		start = false
	}
	fmt.Fprintln(w, line)
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
