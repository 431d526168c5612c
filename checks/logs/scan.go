package logs

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hubaudit/hubaudit/internal/keyword"
	"github.com/hubaudit/hubaudit/internal/lazyre"
)

// maxLine is how much of one physical line is parsed; the rest is skipped
// and reported (variable for tests).
var maxLine = 64 << 10

const (
	// maxRecord caps the folded text of one record (message plus
	// continuation lines).
	maxRecord = 64 << 10
	// maxEvents caps the number of distinct events kept.
	maxEvents = 5000
	// maxStarts caps the hub starts kept (the newest ones).
	maxStarts = 1000
	// maxText caps the text and parameters stored in an event.
	maxText = 400
)

// pending is the record being folded.
type pending struct {
	active    bool
	kind      int
	level     byte
	time      string
	outer     bool
	head      string
	buf       []byte
	line      int64
	gline     int64 // line number over all inputs
	multiLeft int
	tb        bool   // saw "Traceback (most recent call last):"
	tbDone    bool   // saw the exception line that ends a traceback
	tbIndent  int    // indentation of the "Traceback" line
	exc       string // last exception line
	frame     string // last "File ..., line N, in f" line
}

// scanner folds lines into records and records into events.
type scanner struct {
	m      *matcher
	facts  *Facts
	events map[string]*Event
	order  []*Event

	sinceLocal, sinceUTC string
	sinceLastStart       bool
	preamble             preamble
	// inException is set while the exception message of a traceback is
	// turned into events (see Event.InTraceback).
	inException bool

	file       string
	lineNo     int64
	pend       pending
	lastBoring bool
	lastSkip   bool
	lastTime   []byte // timestamp of the last record, for bare text
	lastOuter  bool
	scratch    []byte
	l          line

	binCount, binFirst   int64
	longCount, longFirst int64

	// matches remembers what matcher.match answered for a record text:
	// hubs repeat the same warnings and errors word for word.
	matches map[matchKey]matchResult
}

type matchKey struct {
	text, logger string
	floating     bool
}

type matchResult struct {
	p   *pattern
	sub []string
}

// The match memo keeps texts up to maxMemoText bytes, and at most
// maxMemo of them (a variable for tests).
const maxMemoText = 4 << 10

var maxMemo = 4096

// match is matcher.match through the memo.
func (s *scanner) match(text string, floating bool, logger string) (*pattern, []string) {
	if len(text) > maxMemoText {
		return s.m.match(text, floating, logger)
	}
	k := matchKey{text, logger, floating}
	if r, ok := s.matches[k]; ok {
		return r.p, r.sub
	}
	p, sub := s.m.match(text, floating, logger)
	if len(s.matches) < maxMemo {
		s.matches[k] = matchResult{p, sub}
	}
	return p, sub
}

func newScanner(m *matcher, f *Facts) *scanner {
	return &scanner{m: m, facts: f, events: map[string]*Event{}, matches: map[matchKey]matchResult{}}
}

// startFile resets the per-file state.
func (s *scanner) startFile(name string) {
	s.file, s.lineNo = name, 0
	s.lastTime = s.lastTime[:0]
	s.pend.active, s.lastBoring, s.lastSkip = false, false, false
	s.binCount, s.binFirst, s.longCount, s.longFirst = 0, 0, 0, 0
}

// endFile flushes the last record and records per-file problems.
func (s *scanner) endFile() {
	s.flush()
	if s.binCount > 0 {
		s.problem(Problem{Kind: "binary_data", File: s.file, Line: s.binFirst, Count: s.binCount,
			Detail: fmt.Sprintf("%d lines of %s contain NUL bytes (binary data); they were skipped", s.binCount, s.file)})
	}
	if s.longCount > 0 {
		s.problem(Problem{Kind: "long_line", File: s.file, Line: s.longFirst, Count: s.longCount,
			Detail: fmt.Sprintf("%d lines of %s are longer than %d KiB; only their first %d KiB were read", s.longCount, s.file, maxLine>>10, maxLine>>10)})
	}
}

func (s *scanner) problem(p Problem) { s.facts.Problems = append(s.facts.Problems, p) }

// longLine notes a physical line that was capped.
func (s *scanner) longLine() {
	if s.longCount == 0 {
		s.longFirst = s.lineNo
	}
	s.longCount++
}

// before reports whether a record with this timestamp is before --since.
func (s *scanner) before(l *line) bool {
	if s.sinceLocal == "" || len(l.time) < 19 {
		return false
	}
	t := l.time[:19]
	bound := s.sinceLocal
	if l.outer {
		bound = s.sinceUTC
	}
	// Compare "YYYY-MM-DD?hh:mm:ss" ignoring the date/time separator.
	for i := 0; i < 19; i++ {
		a, b := t[i], bound[i]
		if i == 10 {
			continue
		}
		if a != b {
			return a < b
		}
	}
	return false
}

var tracebackHead = []byte("Traceback (most recent call last):")

func isBlankOrIndented(b []byte) bool {
	return len(b) == 0 || b[0] == ' ' || b[0] == '\t' || len(bytes.TrimSpace(b)) == 0
}

// add handles one physical line (without its newline).
func (s *scanner) add(b []byte) {
	s.facts.Lines++
	s.lineNo++
	s.facts.Bytes += int64(len(b)) + 1
	l := &s.l
	parseLine(b, l, &s.scratch)
	if l.kind != kindBare {
		s.flush()
		if s.before(l) {
			s.facts.SkippedLines++
			s.lastBoring, s.lastSkip = true, true
			return
		}
		s.lastSkip = false
		if l.level != 'W' || l.kind == kindProxy {
			s.preamble.boundary(s.facts.Lines)
		}
		s.lastTime = append(s.lastTime[:0], l.time...)
		s.lastOuter = l.outer
		s.facts.Records++
		var interesting bool
		if l.kind == kindProxy {
			interesting = l.level == 'E'
		} else {
			switch l.level {
			case 'W', 'E', 'C':
				interesting = true
			default:
				interesting = isAccess5xx(l.msg) || s.m.candidate(l.msg)
			}
		}
		var rest []byte
		if nl := bytes.IndexByte(l.msg, '\n'); nl >= 0 {
			// A JSON record carries its continuation lines in the message.
			l.msg, rest = l.msg[:nl], l.msg[nl+1:]
			interesting = interesting || bytes.Contains(rest, tracebackHead)
		}
		if !interesting {
			s.lastBoring = true
			return
		}
		s.begin(l)
		for len(rest) > 0 {
			ln := rest
			if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
				ln, rest = rest[:nl], rest[nl+1:]
			} else {
				rest = nil
			}
			if s.continues(ln) {
				s.appendLine(ln)
			}
		}
		return
	}
	msg := l.msg
	if s.lastSkip {
		s.facts.SkippedLines++
		return
	}
	if s.pend.active && s.continues(msg) {
		s.appendLine(msg)
		return
	}
	if !s.pend.active && s.lastBoring && isBlankOrIndented(msg) {
		return
	}
	s.flush()
	s.lastBoring = true
	if len(msg) > 0 {
		s.preamble.boundary(s.facts.Lines)
	}
	if bytes.IndexByte(msg, 0) >= 0 {
		if s.binCount == 0 {
			s.binFirst = s.lineNo
		}
		s.binCount++
		return
	}
	if len(msg) == 0 {
		return
	}
	s.facts.Records++
	if bytes.HasPrefix(msg, tracebackHead) || s.m.candidate(msg) {
		s.lastBoring = false
		if len(l.time) == 0 {
			l.time, l.outer = s.lastTime, s.lastOuter
		}
		s.begin(l)
		if bytes.HasPrefix(msg, tracebackHead) {
			s.pend.tb = true
		}
	}
}

// appendLine adds a continuation line to the pending record.
func (s *scanner) appendLine(msg []byte) {
	if len(s.pend.buf) >= maxRecord {
		return
	}
	if s.pend.kind == kindHub {
		// tornado's formatter indents continuation lines by 4.
		for i := 0; i < 4 && len(msg) > 0 && msg[0] == ' '; i++ {
			msg = msg[1:]
		}
	}
	s.pend.buf = append(s.pend.buf, '\n')
	s.pend.buf = append(s.pend.buf, capBytes(msg, maxRecord-len(s.pend.buf))...)
}

func capBytes(b []byte, n int) []byte {
	if n < 0 {
		n = 0
	}
	if len(b) > n {
		return b[:n]
	}
	return b
}

// begin starts folding a record.
func (s *scanner) begin(l *line) {
	p := &s.pend
	p.active, p.kind, p.level, p.outer = true, l.kind, l.level, l.outer
	p.time, p.head = string(l.time), string(l.head)
	p.buf = append(p.buf[:0], capBytes(l.msg, maxRecord)...)
	p.line, p.gline = s.lineNo, s.facts.Lines
	p.tb, p.tbDone, p.tbIndent, p.exc, p.frame = false, false, 0, "", ""
	p.multiLeft = 0
	if mp := s.m.multiStart(l.msg); mp != nil {
		p.multiLeft = mp.lines - 1
	}
	s.lastBoring = false
}

// continues decides whether a bare line continues the pending record, and
// tracks tracebacks.
func (s *scanner) continues(msg []byte) bool {
	p := &s.pend
	blank := isBlankOrIndented(msg)
	t := bytes.TrimLeft(msg, " \t")
	indent := len(msg) - len(t)
	if bytes.HasPrefix(t, tracebackHead) {
		if p.tb && indent < p.tbIndent {
			// Less indented than the record's own traceback: a new
			// traceback printed on its own after the record.
			return false
		}
		if indent == 0 && !p.tb && (p.level == 0 || p.level == 'I' || p.level == 'D') {
			// An unindented traceback after bare text or an info record is
			// printed on its own (an uncaught exception on stderr).
			return false
		}
		p.tb, p.tbDone, p.tbIndent = true, false, indent
		return true
	}
	if p.tb && !p.tbDone {
		if len(t) == 0 || indent > p.tbIndent {
			if bytes.HasPrefix(t, []byte(`File "`)) {
				p.frame = string(capBytes(bytes.TrimSpace(t), maxText))
			}
			return true
		}
		p.tbDone = true
		p.exc = string(capBytes(bytes.TrimSpace(t), maxText))
		return true
	}
	if p.tbDone {
		if bytes.HasPrefix(t, []byte("During handling of the above exception")) || bytes.HasPrefix(t, []byte("The above exception was the direct cause")) {
			return true
		}
		return len(t) == 0 || indent > p.tbIndent
	}
	if p.multiLeft > 0 {
		p.multiLeft--
		return true
	}
	if blank {
		return true
	}
	if p.kind == kindProxy {
		return len(t) <= 2 && len(t) > 0 && strings.IndexByte("}])", t[0]) >= 0
	}
	return false
}

var levelNames = map[byte]string{'D': "debug", 'I': "info", 'W': "warning", 'E': "error", 'C': "critical", 0: "bare"}

// flush turns the pending record into events.
func (s *scanner) flush() {
	p := &s.pend
	if !p.active {
		return
	}
	p.active = false
	pos := Position{File: s.file, Line: p.line, Time: p.time}
	level := levelNames[p.level]
	logger := ""
	if p.kind != kindBare {
		logger = loggerOf([]byte(p.head))
	}
	text := string(p.buf)
	if p.kind == kindProxy {
		s.proxyEvent(text, logger, pos)
		return
	}
	if len(p.buf) > 4 && isDigit(p.buf[0]) && p.buf[3] == ' ' && s.m.access != nil {
		if sub := s.m.access.msg.Regexp().FindStringSubmatch(firstLine(text)); sub != nil {
			// An access line: only server errors are events.
			if p.buf[0] == '5' {
				s.accessEvent(sub, level, logger, pos, text)
			}
			return
		}
	}
	norm := strings.TrimLeft(text, " \t\n")
	floating := p.level != 'I' && p.level != 'D'
	pat, sub := s.match(norm, floating, logger)
	if pat != nil {
		s.kbEvent(pat, sub, level, logger, pos, norm)
	}
	if p.tb {
		excType, excMsg := splitException(p.exc)
		params := map[string]string{"exception": excType, "message": excMsg, "frame": frameOf(p.frame)}
		if ctx := firstLine(norm); !bytes.HasPrefix([]byte(ctx), tracebackHead) {
			params["context"] = ctx
		}
		s.event("traceback", level, logger, params, []string{"exception", "frame", "context"}, p.exc, pos)
		if excMsg != "" {
			m := unwrapDBAPI(excMsg)
			if ep, esub := s.match(m, true, ""); ep != nil {
				s.inException = true
				s.kbEvent(ep, esub, level, logger, pos, m)
				s.inException = false
			}
		}
		return
	}
	if pat == nil {
		if strings.TrimSpace(firstLine(norm)) == "{" {
			// The request headers that log_request dumps as JSON before
			// a 5xx access line: the access line is the event.
			return
		}
		var id string
		switch p.level {
		case 'E':
			id = "log.error"
		case 'C':
			id = "log.critical"
		case 'W':
			id = "log.warning"
		default:
			return
		}
		fl := firstLine(norm)
		s.event(id, level, logger, map[string]string{"message": fl}, []string{"message"}, fl, pos)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// unwrapDBAPI drops the "(sqlite3.OperationalError) " that SQLAlchemy puts
// before a database driver's own message, and the " [SQL: ...]" that
// SQLAlchemy before 1.3 appended to it on the same line.
func unwrapDBAPI(msg string) string {
	if strings.HasPrefix(msg, "(") {
		if i := strings.Index(msg, ") "); i > 1 && isDottedName(msg[1:i]) {
			msg = msg[i+2:]
		}
	}
	if i := strings.Index(msg, " [SQL: "); i > 0 {
		msg = msg[:i]
	}
	return msg
}

// isDottedName reports whether s looks like "pkg.mod.Name".
func isDottedName(s string) bool {
	if s == "" || !strings.Contains(s, ".") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '.' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// splitException splits "pkg.Error: message" into type and message.
func splitException(line string) (string, string) {
	line = strings.TrimSpace(line)
	if i := strings.Index(line, ": "); i > 0 && !strings.ContainsAny(line[:i], " \t") {
		return line[:i], line[i+2:]
	}
	if !strings.ContainsAny(line, " \t") {
		return line, ""
	}
	return "", line
}

var frameRE = lazyre.New(`^File "([^"]*)", line (\d+), in (.*)$`)

// frameOf renders `File "/x/y.py", line 12, in f` as "/x/y.py:12 in f".
func frameOf(f string) string {
	if m := frameRE().FindStringSubmatch(f); m != nil {
		return m[1] + ":" + m[2] + " in " + m[3]
	}
	return f
}

// kbEvent records a knowledge-base message match.
func (s *scanner) kbEvent(p *pattern, sub []string, level, logger string, pos Position, text string) {
	// Same text, several ids: take the one the running release prints
	// (the twins share one regexp, so the groups line up).
	p = s.m.forVersion(p, s.facts.HubVersion)
	params := map[string]string{}
	for i, n := range p.msg.Regexp().SubexpNames() {
		if i > 0 && n != "" && i < len(sub) {
			params[n] = sub[i]
		}
	}
	id := p.msg.ID
	switch {
	case id == "traitlets.config_not_recognized":
		if dym := didYouMean(params["suggestion"]); dym != "" {
			params["did_you_mean"] = dym
		}
		delete(params, "suggestion")
	case id == "alembic.running_step":
		// "upgrade 651f5419b74d -> 0eee8c825d24, added properties column"
		a := params["arg1"]
		if sp := strings.IndexByte(a, ' '); sp > 0 {
			params["step"] = a[:sp]
			rest := a[sp+1:]
			doc := ""
			if i := strings.Index(rest, ", "); i >= 0 && strings.Contains(rest[:i], "->") {
				rest, doc = rest[:i], rest[i+2:]
			}
			if from, to, ok := strings.Cut(rest, "->"); ok {
				params["from"], params["to"] = strings.TrimSpace(from), strings.TrimSpace(to)
			}
			params["doc"] = doc
		}
	case strings.HasPrefix(id, "deprecation."):
		name := params["old"]
		if c := params["cls"]; c != "" {
			name = c + "." + name
		}
		params["name"] = name
		r := params["replacement"]
		if params["new"] != "" {
			r = params["cls2"] + "." + params["new"]
		}
		if id == "deprecation.as_of" || id == "deprecation.pending" {
			if f := strings.Fields(r); len(f) > 0 {
				r = strings.TrimRight(f[0], ".,")
			}
		}
		switch id {
		case "deprecation.dockerspawner":
			params["package"] = "DockerSpawner"
		case "deprecation.oauthenticator", "deprecation.oauthenticator_alias":
			params["package"] = "OAuthenticator"
		default:
			params["package"] = "JupyterHub"
		}
		if id == "deprecation.group_format" {
			params["name"] = "JupyterHub.load_groups"
		}
		params["replacement"] = strings.TrimSuffix(r, " instead")
	}
	if id == "version.hub_running" {
		v := strings.TrimSpace(params["arg1"])
		s.facts.HubVersion = v
		if s.sinceLastStart {
			s.resetForStart()
		} else {
			s.preamble.stamp(s.pend.gline, v)
		}
		if len(s.facts.Starts) >= maxStarts {
			// Keep the newest starts only: the last one is what counts.
			copy(s.facts.Starts, s.facts.Starts[1:])
			s.facts.Starts = s.facts.Starts[:maxStarts-1]
			s.facts.StartsDropped++
		}
		s.facts.Starts = append(s.facts.Starts, Start{Version: v, Position: pos})
		s.facts.HubVersion = v
	}
	s.event(id, level, logger, params, nil, firstLine(text), pos)
}

// didYouMean extracts the suggestions of traitlets' unknown-option warning.
func didYouMean(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "Did you mean one of:")
	s = strings.TrimPrefix(s, "Did you mean")
	s = strings.TrimSuffix(strings.TrimSpace(s), "?")
	return strings.Trim(s, "` ")
}

// resetForStart forgets the events before a hub start (post mode: only the
// run since the last start is judged).
//
// The warnings JupyterHub prints while it loads its config (traitlets'
// unknown options, the deprecation observers) come just before its
// "Running JupyterHub version" line, so the run starts at its preamble:
// the warnings logged right before the start line, after the last record
// of any other level (see preamble).
func (s *scanner) resetForStart() {
	start := s.pend.gline
	keep := s.preamble.before(start)
	first := start
	if len(keep) > 0 {
		first = keep[0].gline
	}
	if n := first - 1; n > s.facts.SkippedLines {
		s.facts.SkippedLines = n
	}
	s.events = map[string]*Event{}
	s.order = s.order[:0]
	s.facts.EventsDropped = 0
	s.preamble.replaying = true
	for _, c := range keep {
		s.event(c.id, c.level, c.logger, c.params, c.keys, c.text, c.pos)
	}
	s.preamble.replaying = false
	s.preamble.calls = s.preamble.calls[:0]
}

// accessEvent records a 5xx access line.
func (s *scanner) accessEvent(sub []string, level, logger string, pos Position, text string) {
	p := s.m.access
	get := func(n string) string {
		if i := p.msg.Regexp().SubexpIndex(n); i > 0 && i < len(sub) {
			return sub[i]
		}
		return ""
	}
	uri := get("uri") + get("location")
	if i := strings.Index(uri, " -> "); i >= 0 {
		uri = uri[:i]
	}
	params := map[string]string{"status": get("status"), "method": get("method"), "path": normPath(uri)}
	s.event("hub.access", level, logger, params, nil, firstLine(text), pos)
}

// normPath drops the query and replaces id-like path segments with "*" so
// that requests fold by route.
func normPath(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	segs := strings.Split(u, "/")
	for i, sg := range segs {
		if len(sg) >= 16 {
			digits := 0
			for _, c := range sg {
				if c >= '0' && c <= '9' || c == '-' {
					digits++
				}
			}
			if digits*3 >= len(sg) {
				segs[i] = "*"
			}
		}
	}
	return strings.Join(segs, "/")
}

// proxyEvent records a configurable-http-proxy error line.
func (s *scanner) proxyEvent(text, logger string, pos Position) {
	fl := firstLine(text)
	params := map[string]string{"message": fl}
	if len(fl) > 4 && isDigit(fl[0]) && isDigit(fl[1]) && isDigit(fl[2]) && fl[3] == ' ' {
		f := strings.Fields(fl)
		params = map[string]string{"status": f[0]}
		if len(f) > 1 {
			params["method"] = f[1]
		}
		if len(f) > 2 {
			params["path"] = normPath(f[2])
		}
		if len(f) > 3 {
			params["message"] = strings.Join(f[3:], " ")
		}
	}
	s.event("proxy.error", "error", logger, params, []string{"status", "method", "path", "message"}, fl, pos)
}

var (
	urlPassRE = lazyre.New(`(://[^/\s:@]*:)[^@\s/]+@`)
	tokenRE   = lazyre.New(`(?i)((?:token|secret|password|passwd|api_key|apikey|authorization)["']?\s*[=:]\s*["']?(?:token\s+|bearer\s+)?)[^\s&"',;]+`)
)

// clean makes text safe to store: valid UTF-8, secrets redacted, capped.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.Contains(s, "://") {
		s = urlPassRE().ReplaceAllString(s, "${1}[redacted]@")
	}
	if strings.ContainsAny(s, "=:") && keyword.MayContain(s, secretWords) {
		s = tokenRE().ReplaceAllString(s, "${1}[redacted]")
	}
	if len(s) > maxText {
		s = s[:maxText]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// secretWords are the words tokenRE looks for, lower case: most log text
// has a ':' (times, URLs) but none of them.
var secretWords = []string{"token", "secret", "password", "passwd", "api_key", "apikey", "authorization"}

// event folds one occurrence into the event table. keys are the params that
// identify it (nil: all).
func (s *scanner) event(id, level, logger string, params map[string]string, keys []string, text string, pos Position) {
	if s.sinceLastStart && level == "warning" && !s.preamble.replaying {
		s.preamble.record(eventCall{id: id, level: level, logger: logger, params: maps.Clone(params),
			keys: slices.Clone(keys), text: text, pos: pos, gline: s.pend.gline})
	}
	for k, v := range params {
		params[k] = clean(strings.TrimSpace(v))
	}
	if keys == nil {
		for k := range params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
	}
	var kb strings.Builder
	kb.WriteString(id)
	kb.WriteByte(0)
	kb.WriteString(logger)
	for _, k := range keys {
		kb.WriteByte(0)
		kb.WriteString(params[k])
	}
	if s.inException {
		kb.WriteString("\x00traceback")
	}
	key := kb.String()
	if e, ok := s.events[key]; ok {
		e.Count++
		e.Last = pos
		return
	}
	if len(s.order) >= maxEvents {
		if s.facts.EventsDropped == 0 {
			s.problem(Problem{Kind: "event_cap", File: pos.File, Line: pos.Line,
				Detail: fmt.Sprintf("more than %d distinct events; further distinct events are counted but not kept", maxEvents)})
		}
		s.facts.EventsDropped++
		return
	}
	for k, v := range params {
		if v == "" {
			delete(params, k)
		}
	}
	e := &Event{ID: id, Level: level, Logger: logger, Params: params, Text: clean(text), Count: 1, First: pos, Last: pos,
		InTraceback: s.inException, Version: s.facts.HubVersion}
	if level == "warning" && !s.preamble.replaying {
		s.preamble.noteCreated(e, s.pend.gline)
	}
	s.events[key] = e
	s.order = append(s.order, e)
}
