package logrules

import (
	"fmt"
	"slices"
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

// incident is one finding's worth of events: every event that becomes a
// finding with the same subject, folded into one (the sum of their counts,
// the earliest first and the latest last occurrence).
type incident struct {
	*logs.Event
	subject string
}

// fold groups events by the subject of the finding each would become, in
// order of first occurrence. The scanner folds identical records; records
// that differ in what the finding does not show (the request a traceback
// interrupted, the user of a 500) are one incident, one finding. The
// events of the facts are not modified.
func fold(es []*logs.Event, subject func(*logs.Event) string) []incident {
	var out []incident
	at := map[string]int{}
	for _, e := range es {
		s := subject(e)
		i, ok := at[s]
		if !ok {
			at[s] = len(out)
			out = append(out, incident{Event: e, subject: s})
			continue
		}
		m := *out[i].Event
		m.Count += e.Count
		if later(e.Last, m.Last) {
			m.Last = e.Last
		}
		if later(m.First, e.First) {
			m.First = e.First
		}
		out[i].Event = &m
	}
	return out
}

// later reports whether position a comes after b: by timestamp when both
// have one, else by line in the same file.
func later(a, b logs.Position) bool {
	if a.Time != "" && b.Time != "" {
		return a.Time > b.Time
	}
	return a.File == b.File && a.Line > b.Line
}

// report files one finding per incident: build makes it from the folded
// event, and its location is the incident's first occurrence and subject.
func report(p *rules.Pass, es []*logs.Event, subject func(*logs.Event) string, build func(e *logs.Event) rules.Finding) {
	for _, in := range fold(es, subject) {
		f := build(in.Event)
		f.Location = loc(in.Event, in.subject)
		f.Aliases = slices.DeleteFunc(f.Aliases, func(a string) bool { return a == in.subject })
		if len(f.Aliases) == 0 {
			f.Aliases = nil
		}
		p.Report(f)
	}
}

// fixed is a subject function for events that all make one finding.
func fixed(subject string) func(*logs.Event) string {
	return func(*logs.Event) string { return subject }
}

// optionSubject is the subject of a finding about option opt that the hub
// logged for class cls: the config's own assignment when it sets the
// option on cls or on a base class of cls (traitlets warns under the class
// it instantiated: c.Authenticator.whitelist is warned about as
// DummyAuthenticator.whitelist), so that the log finding and the config
// finding about the same line share their subject. Without such an
// assignment it is "trait:cls.opt".
func optionSubject(p *rules.Pass, e *logs.Event, cls, opt string) string {
	subject := "trait:" + cls + "." + opt
	if p.Config == nil {
		return subject
	}
	at := kb.Versions{}
	if v, ok := runningAt(p, e); ok {
		at.JupyterHub = v
	}
	found := ""
	for _, a := range p.Config.Assignments {
		if a.Name() != opt {
			continue
		}
		if a.Class() == cls {
			return subject
		}
		if found == "" && p.KB.IsA(cls, a.Class(), at) {
			found = "trait:" + a.Trait
		}
	}
	if found != "" {
		return found
	}
	return subject
}
