package logs

import (
	"bytes"
	"strings"

	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
)

// pattern is one knowledge-base message prepared for fast matching.
type pattern struct {
	msg *kb.Message
	// lead is the literal text every match starts with (up to the first
	// placeholder); empty when the format starts with a placeholder.
	lead []byte
	// need is a literal every match contains (the longest literal run),
	// checked before the regexp when lead is empty.
	need []byte
	// lines is how many physical lines the format spans.
	lines int
	// firstLine is the literal start of the first line of a multi-line
	// format; a record starting with it takes the next lines-1 lines.
	firstLine []byte
	// alembic patterns only match records of the alembic loggers (or
	// bare text): "Running %s" would match any "Running ..." otherwise.
	alembic bool
}

// matcher holds every message pattern of the knowledge base, indexed for a
// cheap prefilter: by the first byte of the lead literal, and a list of
// patterns without a lead (checked only on warning and error records and on
// bare text).
type matcher struct {
	all      []*pattern
	byFirst  [256][]*pattern
	floating []*pattern
	access   *pattern
	multi    []*pattern
	// twins are the other patterns with the same rendered text (a message
	// whose source changed between releases: ".v1"/".v2", ".a"/".b").
	twins map[*pattern][]*pattern
}

// literalRuns splits a format into its literal runs, cutting at printf
// (%s, %d, %r, ...) and brace ({name}, {x:.2f}) placeholders.
func literalRuns(format, style string) []string {
	var runs []string
	var cur strings.Builder
	printf := strings.HasPrefix(style, "printf")
	brace := style == "str.format" || style == "f-string"
	for i := 0; i < len(format); i++ {
		c := format[i]
		if printf && c == '%' && i+1 < len(format) {
			j := i + 1
			for j < len(format) && strings.IndexByte("-#+ 0123456789.", format[j]) >= 0 {
				j++
			}
			if j < len(format) && strings.IndexByte("sdrif", format[j]) >= 0 {
				runs = append(runs, cur.String())
				cur.Reset()
				i = j
				continue
			}
		}
		if brace && c == '{' {
			if j := strings.IndexByte(format[i:], '}'); j > 0 {
				inner := format[i+1 : i+j]
				if inner == "" || inner[0] == '_' || inner[0] >= 'a' && inner[0] <= 'z' || inner[0] >= 'A' && inner[0] <= 'Z' {
					runs = append(runs, cur.String())
					cur.Reset()
					i += j
					continue
				}
			}
		}
		cur.WriteByte(c)
	}
	return append(runs, cur.String())
}

func newMatcher(k *kb.KB) *matcher {
	m := &matcher{}
	var msgs []*kb.Message
	msgs = append(msgs, k.Messages()...)
	msgs = append(msgs, k.AlembicMessages()...)
	msgs = append(msgs, k.LogMessages()...)
	nAlembic := len(k.Messages()) + len(k.AlembicMessages())
	for i, km := range msgs {
		p := &pattern{msg: km, lines: strings.Count(km.Format, "\n") + 1}
		p.alembic = i >= len(k.Messages()) && i < nAlembic
		runs := literalRuns(km.Format, km.Placeholder)
		p.lead = []byte(runs[0])
		if nl := bytes.IndexByte(p.lead, '\n'); nl >= 0 {
			p.lead = p.lead[:nl]
		}
		for _, r := range runs {
			if nl := strings.IndexByte(r, '\n'); nl >= 0 {
				r = r[:nl]
			}
			if len(r) > len(p.need) {
				p.need = []byte(r)
			}
		}
		if p.lines > 1 {
			p.firstLine = p.lead
			m.multi = append(m.multi, p)
		}
		m.all = append(m.all, p)
		switch {
		case km.ID == "hub.access":
			m.access = p
		case len(p.lead) >= 2:
			m.byFirst[p.lead[0]] = append(m.byFirst[p.lead[0]], p)
		default:
			m.floating = append(m.floating, p)
		}
	}
	m.twins = map[*pattern][]*pattern{}
	for _, a := range m.all {
		for _, b := range m.all {
			if a != b && a.msg.Pattern == b.msg.Pattern {
				m.twins[a] = append(m.twins[a], b)
			}
		}
	}
	return m
}

// forVersion returns the twin of p that release v prints, or p.
func (m *matcher) forVersion(p *pattern, v string) *pattern {
	if v == "" || len(m.twins[p]) == 0 {
		return p
	}
	ver, err := pep440.Parse(v)
	if err != nil || p.msg.PrintedBy(ver) {
		return p
	}
	for _, t := range m.twins[p] {
		if t.msg.PrintedBy(ver) {
			return t
		}
	}
	return p
}

// candidate reports whether msg may match a pattern with a lead literal;
// it is the cheap test run on every info and debug record.
func (m *matcher) candidate(msg []byte) bool {
	if len(msg) == 0 {
		return false
	}
	for _, p := range m.byFirst[msg[0]] {
		if bytes.HasPrefix(msg, p.lead) {
			return true
		}
	}
	return false
}

// isAccess5xx reports whether msg is an access line with a 5xx status.
func isAccess5xx(msg []byte) bool {
	return len(msg) > 4 && msg[0] == '5' && isDigit(msg[1]) && isDigit(msg[2]) && msg[3] == ' '
}

// multiStart returns the multi-line pattern whose first line msg starts
// with, if any.
func (m *matcher) multiStart(msg []byte) *pattern {
	for _, p := range m.multi {
		if len(p.firstLine) > 0 && bytes.HasPrefix(msg, p.firstLine) {
			return p
		}
	}
	return nil
}

// match finds the first pattern matching text, which is the record's
// message with the continuation lines joined by "\n". floating says whether
// patterns without a lead literal are tried.
func (m *matcher) match(text string, floating bool, logger string) (*pattern, []string) {
	alembicOK := logger == "" || strings.HasPrefix(logger, "alembic")
	first := text
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		first = text[:i]
	}
	try := func(p *pattern) []string {
		if p.alembic && !alembicOK {
			return nil
		}
		s := first
		if p.lines > 1 {
			s = firstLines(text, p.lines)
		}
		if !strings.HasPrefix(s, string(p.lead)) || (len(p.lead) == 0 && !strings.Contains(s, string(p.need))) {
			return nil
		}
		return p.msg.Regexp().FindStringSubmatch(s)
	}
	if first != "" {
		for _, p := range m.byFirst[first[0]] {
			if sub := try(p); sub != nil {
				return p, sub
			}
		}
	}
	if floating {
		for _, p := range m.floating {
			if sub := try(p); sub != nil {
				return p, sub
			}
		}
	}
	return nil, nil
}

// firstLines returns the first n lines of s.
func firstLines(s string, n int) string {
	i := 0
	for k := 0; k < n; k++ {
		j := strings.IndexByte(s[i:], '\n')
		if j < 0 {
			return s
		}
		i += j + 1
	}
	return s[:i-1]
}
