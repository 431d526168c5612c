// Package udiff renders unified diffs (as `diff -u` prints them) of two
// texts, line by line, using github.com/sergi/go-diff for the matching.
// fix-config and the post --baseline config comparison both use it.
package udiff

import (
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// context is the number of unchanged lines shown around a change.
const context = 3

type line struct {
	op   diffmatchpatch.Operation
	text string // with its "\n", except a last line without one
}

// Unified returns the unified diff of a and b, or "" when they are equal.
// aName and bName label the "---" and "+++" lines. A last line without a
// newline is marked "\ No newline at end of file", as diff does.
func Unified(aName, bName, a, b string) string {
	if a == b {
		return ""
	}
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var all []line
	for _, d := range diffs {
		for _, p := range strings.SplitAfter(d.Text, "\n") {
			if p != "" {
				all = append(all, line{d.Type, p})
			}
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
	for i := 0; i < len(all); {
		for i < len(all) && all[i].op == diffmatchpatch.DiffEqual {
			i++
		}
		if i >= len(all) {
			break
		}
		// A hunk starts context lines before the change and grows while
		// the next change is within 2*context unchanged lines.
		start, end := max(0, i-context), i
		for end < len(all) {
			if all[end].op != diffmatchpatch.DiffEqual {
				end++
				continue
			}
			k := end
			for k < len(all) && all[k].op == diffmatchpatch.DiffEqual {
				k++
			}
			if k < len(all) && k-end <= 2*context {
				end = k
				continue
			}
			end = min(len(all), end+context)
			break
		}
		aLine, bLine := 1, 1
		for _, l := range all[:start] {
			if l.op != diffmatchpatch.DiffInsert {
				aLine++
			}
			if l.op != diffmatchpatch.DiffDelete {
				bLine++
			}
		}
		aN, bN := 0, 0
		var body strings.Builder
		for _, l := range all[start:end] {
			switch l.op {
			case diffmatchpatch.DiffEqual:
				body.WriteString(" " + l.text)
				aN++
				bN++
			case diffmatchpatch.DiffDelete:
				body.WriteString("-" + l.text)
				aN++
			case diffmatchpatch.DiffInsert:
				body.WriteString("+" + l.text)
				bN++
			}
			if !strings.HasSuffix(l.text, "\n") {
				body.WriteString("\n\\ No newline at end of file\n")
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n%s", hunkRange(aLine, aN), hunkRange(bLine, bN), body.String())
		i = end
	}
	return out.String()
}

func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprintf("%d", start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
