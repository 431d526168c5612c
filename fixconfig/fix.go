package fixconfig

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/internal/udiff"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/snapshot"
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
// but the renamed names is preserved byte for byte. The diff is for
// printing: its lines, context included, have their secret values
// redacted the way reports and snapshots redact them.
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
	diff := UnifiedDiff(path, []byte(snapshot.RedactConfig(string(src))), []byte(snapshot.RedactConfig(string(newSrc))))
	return newSrc, diff, renames, nil
}

// UnifiedDiff renders the change from a to b as a unified diff with three
// lines of context, with "a/path" and "b/path" headers (the path itself
// when it is absolute).
func UnifiedDiff(path string, a, b []byte) string {
	aName, bName := path, path
	if !filepath.IsAbs(path) {
		aName, bName = "a/"+filepath.ToSlash(path), "b/"+filepath.ToSlash(path)
	}
	return udiff.Unified(aName, bName, string(a), string(b))
}
