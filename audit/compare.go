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
	// A finding stands for its own fingerprint and for those of the
	// findings folded into it (a log event joined to the config finding
	// for the same option): the incident is the same whether or not it was
	// folded in one run and not in the other.
	before := map[string]bool{}
	for _, f := range old.Findings {
		for _, fp := range f.Identities() {
			before[fp] = true
		}
	}
	after := map[string]bool{}
	for _, f := range findings {
		for _, fp := range f.Identities() {
			after[fp] = true
		}
	}
	for _, f := range findings {
		fp := f.Fingerprint()
		if slices.ContainsFunc(f.Identities(), func(id string) bool { return before[id] }) {
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
		ids := f.Identities()
		if slices.ContainsFunc(ids, func(id string) bool { return after[id] }) {
			continue
		}
		// Folded evidence is judged with its host: resolved only when every
		// rule behind the incident ran now and none reported it.
		if allRan(f, ran) {
			c.Resolved = append(c.Resolved, f.Fingerprint())
		} else {
			c.NotRechecked = append(c.NotRechecked, f.Fingerprint())
		}
	}
	for _, l := range [][]string{c.New, c.Resolved, c.Unchanged, c.NotRechecked} {
		sort.Strings(l)
	}
	c.New, c.Unchanged = slices.Compact(c.New), slices.Compact(c.Unchanged)
	c.Resolved, c.NotRechecked = slices.Compact(c.Resolved), slices.Compact(c.NotRechecked)
	return c
}

// allRan reports whether the rule of f and those of its evidence ran.
func allRan(f rules.Finding, ran map[string]bool) bool {
	if !ran[f.RuleID] {
		return false
	}
	for _, e := range f.Evidence {
		if !ran[e.RuleID] {
			return false
		}
	}
	return true
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
