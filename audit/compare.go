package audit

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/internal/udiff"
	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules"
)

// Compare describes what changed between a baseline snapshot and now:
// versions per environment, the database revision and counts, the config
// (as a unified diff of the redacted texts), and findings by fingerprint. A
// baseline finding is resolved only when its rule ran now and did not
// report it; when its rule did not run (skipped, or not selected) it is not
// re-checked.
func Compare(snap *Snapshot, in *rules.Input, res *rules.Result, col collected) *report.Comparison {
	findings := res.Findings
	old := snap.Report
	c := &report.Comparison{Baseline: "pre"}
	if old.TargetVersion != nil {
		c.Baseline = "pre --target " + *old.TargetVersion
	}
	envVersions := func(r *report.Report) map[string]string {
		out := map[string]string{}
		if r == nil || r.Facts.Env == nil {
			return out
		}
		for _, e := range r.Facts.Env.Environments {
			key := e.Role + " env"
			if e.Name != "" {
				key += " " + e.Name
			}
			key += " jupyterhub"
			out[key] = e.Packages["jupyterhub"]
		}
		return out
	}
	nowRep := &report.Report{Facts: report.Facts{Env: in.Env, DB: in.DB}}
	ov, nv := envVersions(old), envVersions(nowRep)
	for _, k := range unionKeys(ov, nv) {
		c.Versions = append(c.Versions, report.ValueChange{Name: k, Old: ov[k], New: nv[k]})
	}
	if old.Facts.DB != nil || in.DB != nil {
		rc := report.ValueChange{Name: "db revision"}
		if old.Facts.DB != nil {
			rc.Old = old.Facts.DB.Revision
		}
		if in.DB != nil {
			rc.New = in.DB.Revision
		}
		c.Revision = &rc
		oc, nc := map[string]int64{}, map[string]int64{}
		if old.Facts.DB != nil {
			oc = old.Facts.DB.Counts
		}
		if in.DB != nil {
			nc = in.DB.Counts
		}
		for _, k := range unionKeys(oc, nc) {
			c.Counts = append(c.Counts, report.CountChange{Name: k, Old: oc[k], New: nc[k]})
		}
	}
	var diffs []string
	texts := col.redactedTexts()
	for _, name := range unionKeys(snap.ConfigTexts, texts) {
		if d := udiff.Unified("baseline/"+name, name, snap.ConfigTexts[name], texts[name]); d != "" {
			diffs = append(diffs, d)
		}
	}
	c.ConfigDiff = strings.Join(diffs, "")
	before := map[string]bool{}
	for _, f := range old.Findings {
		before[f.Fingerprint()] = true
	}
	after := map[string]bool{}
	for _, f := range findings {
		after[f.Fingerprint()] = true
	}
	for fp := range after {
		if before[fp] {
			c.Unchanged = append(c.Unchanged, fp)
		} else {
			c.New = append(c.New, fp)
		}
	}
	ran := map[string]bool{}
	for _, r := range res.Ran {
		ran[r.ID] = true
	}
	for _, f := range old.Findings {
		fp := f.Fingerprint()
		switch {
		case after[fp]:
		case ran[f.RuleID]:
			c.Resolved = append(c.Resolved, fp)
		default:
			c.NotRechecked = append(c.NotRechecked, fp)
		}
	}
	for _, l := range [][]string{c.New, c.Resolved, c.Unchanged, c.NotRechecked} {
		sort.Strings(l)
	}
	c.Resolved, c.NotRechecked = slices.Compact(c.Resolved), slices.Compact(c.NotRechecked)
	return c
}

func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	return slices.Sorted(maps.Keys(seen))
}
