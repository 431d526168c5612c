package logrules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hubaudit/hubaudit/checks/logs"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// events returns the events whose id satisfies keep, in log order.
func events(p *rules.Pass, keep func(*logs.Event) bool) []*logs.Event {
	var out []*logs.Event
	for _, e := range p.Logs.Events {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

func hasPrefix(prefix string) func(*logs.Event) bool {
	return func(e *logs.Event) bool { return strings.HasPrefix(e.ID, prefix) }
}

func idIs(ids ...string) func(*logs.Event) bool {
	return func(e *logs.Event) bool {
		for _, id := range ids {
			if e.ID == id {
				return true
			}
		}
		return false
	}
}

// loc is the location of an event's first occurrence.
func loc(e *logs.Event, subject string) rules.Location {
	return rules.Location{File: e.First.File, Line: int(e.First.Line), Subject: subject}
}

// commas renders 1000000 as "1,000,000".
func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// seen says how often and when an event occurred: "once at T (file:line)"
// or "1,000,000 times between T1 and T2".
func seen(e *logs.Event) string {
	where := func(p logs.Position) string {
		if p.Time != "" {
			return p.Time
		}
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if e.Count <= 1 {
		return "once at " + where(e.First)
	}
	return fmt.Sprintf("%s times between %s and %s", commas(e.Count), where(e.First), where(e.Last))
}

// running is the JupyterHub version the logs were written by: the newest
// start line, else the detected current version.
func running(p *rules.Pass) (pep440.Version, bool) {
	if p.Logs.HubVersion != "" {
		if v, err := pep440.Parse(p.Logs.HubVersion); err == nil {
			return v, true
		}
	}
	if !p.Current.IsZero() {
		return p.Current, true
	}
	return pep440.Version{}, false
}

// runningAt is the JupyterHub version that wrote an event (the run its
// first occurrence belongs to), else what running says.
func runningAt(p *rules.Pass, e *logs.Event) (pep440.Version, bool) {
	if e.Version != "" {
		if v, err := pep440.Parse(e.Version); err == nil {
			return v, true
		}
	}
	if !p.Current.IsZero() {
		return p.Current, true
	}
	return running(p)
}

// revisionMeaning explains an alembic revision with the knowledge base:
// which releases have it as head, or where it sits in the chain.
func revisionMeaning(k *kb.KB, rev string) string {
	if rs := k.ReleasesWithHead(rev); len(rs) > 0 {
		if len(rs) == 1 {
			return "the schema of JupyterHub " + rs[0].Version.String()
		}
		return fmt.Sprintf("the schema of JupyterHub %s to %s", rs[0].Version, rs[len(rs)-1].Version)
	}
	if m, ok := k.Migration(rev); ok {
		s := fmt.Sprintf("migration %q, not the head of any release", m.Title)
		if m.FirstRelease != "" {
			s += " (first shipped in " + m.FirstRelease + ")"
		}
		return s
	}
	if m, ok := k.UnreleasedMigration(rev); ok {
		return fmt.Sprintf("an unreleased migration %q that no release ships", m.Title)
	}
	return "a revision no known JupyterHub release ships (a newer JupyterHub or another application)"
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
