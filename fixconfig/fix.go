package fixconfig

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/rules/kb"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// Edit is one rename Fix applies.
type Edit struct {
	Line      int
	From, To  string
	Start     int
	End       int
	Reason    string
	Statement string
}

// Plan returns the renames that src needs for the target release, in file
// order. Companion classes are judged against their newest analysed
// release unless at says otherwise.
func Plan(path string, src []byte, target *kb.Release, k *kb.KB, at kb.Versions) ([]Edit, error) {
	if target == nil {
		return nil, fmt.Errorf("fix-config needs a target release")
	}
	if strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml") {
		return nil, fmt.Errorf("%s: fix-config rewrites Python config files only; edit hub.config in values.yaml by hand", path)
	}
	at.JupyterHub = target.Version
	f := config.AnalyzeSource(path, src)
	var edits []Edit
	seen := map[int]bool{}
	for _, a := range f.Assignments {
		if a.NameEnd == 0 || seen[a.ClassStart] {
			continue
		}
		j, err := Judge(k, at, a.Class(), a.Name())
		if err != nil {
			return nil, err
		}
		if j.Replacement == "" || j.Replacement == a.Trait {
			continue
		}
		switch j.Status {
		case Deprecated, Ignored, Removed:
		default:
			continue
		}
		j = Final(k, at, j)
		if j.Replacement == "" {
			continue
		}
		cls, name, _ := strings.Cut(j.Replacement, ".")
		seen[a.ClassStart] = true
		e := Edit{Line: a.Line, From: a.Trait, To: j.Replacement, Start: a.ClassStart, End: a.NameEnd}
		if cls == a.Class() {
			e.Start = a.NameStart
			e.To = name
		}
		e.Reason = fmt.Sprintf("c.%s -> c.%s", a.Trait, j.Replacement)
		edits = append(edits, e)
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	return edits, nil
}

// Final follows chains of renames (singleuser_image_spec -> image_spec ->
// image) to an option that is current at the versions; when the chain
// ends elsewhere, Replacement is cleared and only ReplacementText is kept.
func Final(k *kb.KB, at kb.Versions, j Judgement) Judgement {
	repl := j.Replacement
	if repl == "" {
		return j
	}
	for hop := 0; hop < 5; hop++ {
		c2, n2, _ := strings.Cut(repl, ".")
		j2, err := Judge(k, at, c2, n2)
		if err != nil {
			break
		}
		if j2.Status == OK {
			j.Replacement, j.ReplacementText = repl, repl
			return j
		}
		if j2.Replacement == "" || j2.Replacement == repl {
			break
		}
		repl = j2.Replacement
	}
	j.Replacement = ""
	return j
}

// Fix applies the mechanical renames for target to the config file at
// path (content src) and returns the new content, a unified diff of the
// change ("" when nothing changes) and the number of renames. Everything
// but the renamed names is preserved byte for byte.
func Fix(path string, src []byte, target *kb.Release, k *kb.KB) (newSrc []byte, unifiedDiff string, renames int, err error) {
	edits, err := Plan(path, src, target, k, kb.Versions{})
	if err != nil {
		return nil, "", 0, err
	}
	if len(edits) == 0 {
		return src, "", 0, nil
	}
	var b strings.Builder
	last := 0
	for _, e := range edits {
		if e.Start < last || e.End > len(src) {
			continue
		}
		b.Write(src[last:e.Start])
		b.WriteString(e.To)
		last = e.End
		renames++
	}
	b.Write(src[last:])
	newSrc = []byte(b.String())
	return newSrc, UnifiedDiff(path, src, newSrc), renames, nil
}

// UnifiedDiff renders the change from a to b as a unified diff with three
// lines of context, with "a/path" and "b/path" headers (the path itself
// when it is absolute).
func UnifiedDiff(path string, a, b []byte) string {
	if string(a) == string(b) {
		return ""
	}
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(string(a), string(b))
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	// Flatten to a list of (op, line).
	type ln struct {
		op   diffmatchpatch.Operation
		text string
	}
	var all []ln
	for _, d := range diffs {
		parts := strings.SplitAfter(d.Text, "\n")
		for _, p := range parts {
			if p != "" {
				all = append(all, ln{d.Type, p})
			}
		}
	}
	const ctx = 3
	var out strings.Builder
	if filepath.IsAbs(path) {
		fmt.Fprintf(&out, "--- %s\n+++ %s\n", path, path)
	} else {
		fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", filepath.ToSlash(path), filepath.ToSlash(path))
	}
	i := 0
	for i < len(all) {
		// Find the next change.
		for i < len(all) && all[i].op == diffmatchpatch.DiffEqual {
			i++
		}
		if i >= len(all) {
			break
		}
		start := max(0, i-ctx)
		end := i
		// Extend the hunk while changes are within 2*ctx lines.
		for end < len(all) {
			if all[end].op != diffmatchpatch.DiffEqual {
				end++
				continue
			}
			k := end
			for k < len(all) && all[k].op == diffmatchpatch.DiffEqual {
				k++
			}
			if k < len(all) && k-end <= 2*ctx {
				end = k
				continue
			}
			end = min(len(all), end+ctx)
			break
		}
		// Line numbers.
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
			text := l.text
			nl := strings.HasSuffix(text, "\n")
			switch l.op {
			case diffmatchpatch.DiffEqual:
				body.WriteString(" " + text)
				aN++
				bN++
			case diffmatchpatch.DiffDelete:
				body.WriteString("-" + text)
				aN++
			case diffmatchpatch.DiffInsert:
				body.WriteString("+" + text)
				bN++
			}
			if !nl {
				body.WriteString("\n\\ No newline at end of file\n")
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n%s", hunkRange(aLine, aN), hunkRange(bLine, bN), body.String())
		i = end
	}
	return out.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start-1)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
