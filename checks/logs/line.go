package logs

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Kinds of physical lines.
const (
	kindBare  = iota // no recognised log prefix
	kindHub          // "[L date time name module:line] message"
	kindProxy        // configurable-http-proxy: "<time> [ConfigProxy] level: message"
)

// line is one physical line split into its parts. The slices point into the
// reader's buffer (or into the JSON scratch buffer) and are only valid until
// the next line is read.
type line struct {
	kind  int
	level byte   // D I W E C for hub lines; D I W E for proxy lines; 0 bare
	time  []byte // the record's own timestamp, else the wrapper's
	outer bool   // time came from a wrapper (RFC 3339, UTC or with offset)
	head  []byte // hub: the header between "[L " and "]" after the time
	msg   []byte
	// nl says msg may hold a newline: only a JSON record's decoded
	// message can (a physical line has none).
	nl bool
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// stripANSI removes leading ANSI colour sequences (ESC [ ... letter).
func stripANSI(b []byte) []byte {
	for len(b) >= 2 && b[0] == 0x1b && b[1] == '[' {
		i := 2
		for i < len(b) && (isDigit(b[i]) || b[i] == ';') {
			i++
		}
		if i >= len(b) {
			return b[:0]
		}
		b = b[i+1:]
	}
	return b
}

// rfc3339Len returns the length of an RFC 3339 / ISO 8601 timestamp at the
// start of b ("2024-06-06T13:51:39.123456789Z", "...+00:00", "...+0000"),
// or 0.
func rfc3339Len(b []byte) int {
	if len(b) < 20 || !isDigit(b[0]) || !isDigit(b[3]) || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return 0
	}
	i := 19
	if i < len(b) && (b[i] == '.' || b[i] == ',') {
		i++
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && b[i] == 'Z' {
		return i + 1
	}
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		j := i + 1
		for j < len(b) && (isDigit(b[j]) || b[j] == ':') && j-i <= 6 {
			j++
		}
		if j-i >= 3 {
			return j
		}
	}
	return 0
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// syslogTimeLen returns the length of a BSD syslog timestamp
// ("Jun  6 13:51:39") at the start of b, or 0.
func syslogTimeLen(b []byte) int {
	if len(b) < 16 || b[3] != ' ' || b[6] != ' ' || b[9] != ':' || b[12] != ':' || b[15] != ' ' {
		return 0
	}
	for _, m := range months {
		if string(b[:3]) == m {
			return 15
		}
	}
	return 0
}

// hostTagLen returns the length of "host tag[pid]: " or, when loose,
// "host tag: " at the start of b, or 0.
func hostTagLen(b []byte, loose bool) int {
	sp := bytes.IndexByte(b, ' ')
	if sp <= 0 || sp > 255 {
		return 0
	}
	rest := b[sp+1:]
	end := bytes.Index(rest, []byte(": "))
	if end <= 0 || end > 128 || bytes.IndexByte(rest[:end], ' ') >= 0 {
		if loose && end < 0 && len(rest) > 0 && rest[len(rest)-1] == ':' && bytes.IndexByte(rest, ' ') < 0 {
			return len(b)
		}
		return 0
	}
	tag := rest[:end]
	if !loose && (tag[len(tag)-1] != ']' || bytes.IndexByte(tag, '[') <= 0) {
		return 0
	}
	return sp + 1 + end + 2
}

// composeLen returns the length of a docker compose prefix
// ("jupyterhub  | ", "hub-1  | ") at the start of b, or 0.
func composeLen(b []byte) int {
	i := 0
	for i < len(b) && i < 128 {
		c := b[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '-' || c == '_' || c == '.' {
			i++
			continue
		}
		break
	}
	if i == 0 || i >= len(b) || b[i] != ' ' {
		return 0
	}
	j := i
	for j < len(b) && b[j] == ' ' {
		j++
	}
	if j < len(b) && b[j] == '|' {
		if j+1 == len(b) {
			return j + 1
		}
		if b[j+1] == ' ' {
			return j + 2
		}
	}
	return 0
}

// jsonLine is the subset of JSON log fields we read: docker json-file
// ("log", "time"), journald exports ("MESSAGE"), and common structured
// loggers ("message"/"msg", "level"/"levelname", "timestamp"/"asctime").
type jsonLine struct {
	Log       *string `json:"log"`
	Message   *string `json:"message"`
	Msg       *string `json:"msg"`
	MESSAGE   *string `json:"MESSAGE"`
	Time      string  `json:"time"`
	Timestamp string  `json:"timestamp"`
	ATime     string  `json:"@timestamp"`
	Asctime   string  `json:"asctime"`
	Level     string  `json:"level"`
	Levelname string  `json:"levelname"`
	Name      string  `json:"name"`
	ExcInfo   string  `json:"exc_info"`
}

// levelLetter maps a level word to the letter the hub format uses.
func levelLetter(s string) byte {
	if s == "" {
		return 0
	}
	switch s[0] | 0x20 {
	case 'd', 't':
		return 'D'
	case 'i', 'n':
		return 'I'
	case 'w':
		return 'W'
	case 'e':
		return 'E'
	case 'c', 'f', 'a', 'p':
		return 'C'
	}
	return 0
}

// parseLine splits one physical line (without its newline). scratch is
// used for the message of JSON lines.
func parseLine(b []byte, l *line, scratch *[]byte) {
	*l = line{}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	// Fast path: the hub's own format, first byte '['.
	if len(b) > 0 && b[0] != '[' {
		b = stripWrappers(b, l, scratch)
	}
	parseRecord(b, l)
}

// stripWrappers removes the prefixes that log shippers add (JSON, docker
// compose, RFC 3339 timestamps of docker/kubectl --timestamps, syslog and
// journald) and the leading colour codes.
func stripWrappers(b []byte, l *line, scratch *[]byte) []byte {
	for round := 0; round < 4 && len(b) > 0; round++ {
		switch c := b[0]; {
		case c == '[':
			return b
		case c == 0x1b:
			b = stripANSI(b)
		case c == '{':
			var j jsonLine
			if json.Unmarshal(b, &j) != nil {
				return b
			}
			var m *string
			for _, p := range []*string{j.Log, j.Message, j.Msg, j.MESSAGE} {
				if p != nil {
					m = p
					break
				}
			}
			if m == nil {
				return b
			}
			s := *m
			for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
				s = s[:len(s)-1]
			}
			if j.ExcInfo != "" {
				s += "\n" + j.ExcInfo
			}
			*scratch = append((*scratch)[:0], s...)
			b = *scratch
			l.nl = strings.IndexByte(s, '\n') >= 0
			t := j.Time
			for _, x := range []string{j.Timestamp, j.ATime, j.Asctime} {
				if t == "" {
					t = x
				}
			}
			if t != "" {
				l.time, l.outer = []byte(t), true
			}
			if lv := levelLetter(j.Levelname + j.Level); lv != 0 && (len(b) == 0 || b[0] != '[') {
				// A structured record: the message is the whole text.
				l.kind, l.level, l.msg = kindHub, lv, b
				l.head = []byte(j.Name)
				return nil
			}
		case isDigit(c):
			if n := rfc3339Len(b); n > 0 && n < len(b) && b[n] == ' ' {
				l.time, l.outer = b[:n], true
				b = b[n+1:]
				if n := hostTagLen(b, false); n > 0 && (len(b) == 0 || b[0] != '[') {
					b = b[n:]
				}
				continue
			}
			if n := composeLen(b); n > 0 {
				b = b[n:]
				continue
			}
			return b
		default:
			if n := syslogTimeLen(b); n > 0 {
				if h := hostTagLen(b[n+1:], true); h > 0 {
					l.time, l.outer = b[:n], false
					b = b[n+1+h:]
					continue
				}
			}
			if n := composeLen(b); n > 0 {
				b = b[n:]
				continue
			}
			return b
		}
	}
	return b
}

// parseRecord recognises the hub record prefix and the proxy prefix; other
// text is bare.
func parseRecord(b []byte, l *line) {
	if l.kind != kindBare { // structured JSON record
		return
	}
	if len(b) > 0 && b[0] == 0x1b {
		b = stripANSI(b)
	}
	if bytes.HasPrefix(b, []byte("[pod/")) {
		// kubectl logs --prefix
		if i := bytes.Index(b, []byte("] ")); i > 0 {
			b = b[i+2:]
			if len(b) > 0 && b[0] != '[' {
				var scratch []byte
				b = stripWrappers(b, l, &scratch)
			}
		}
	}
	if len(b) >= 6 && b[0] == '[' {
		if b[2] == ' ' && isDigit(b[3]) {
			switch b[1] {
			case 'D', 'I', 'W', 'E', 'C':
				end := bytes.IndexByte(b[3:], ']')
				if end < 0 || end > 512 {
					break
				}
				h := b[3 : 3+end]
				// The timestamp: date, separator, time up to the next space.
				tEnd := 0
				if len(h) > 11 && (h[10] == ' ' || h[10] == 'T') {
					sp := bytes.IndexByte(h[11:], ' ')
					if sp < 0 {
						tEnd = len(h)
					} else {
						tEnd = 11 + sp
					}
				} else if sp := bytes.IndexByte(h, ' '); sp > 0 {
					// tornado's "yymmdd hh:mm:ss"
					if s2 := bytes.IndexByte(h[sp+1:], ' '); s2 > 0 {
						tEnd = sp + 1 + s2
					} else {
						tEnd = len(h)
					}
				}
				l.kind, l.level = kindHub, b[1]
				if !l.outer || tEnd > 0 {
					l.time, l.outer = h[:tEnd], false
				}
				if tEnd < len(h) {
					l.head = h[tEnd+1:]
				}
				m := b[3+end+1:]
				if len(m) > 0 && m[0] == 0x1b {
					m = stripANSI(m)
				}
				if len(m) > 0 && m[0] == ' ' {
					m = m[1:]
				}
				l.msg = m
				return
			}
		}
		if bytes.HasPrefix(b, []byte("[ConfigProxy] ")) {
			m := stripANSI(b[len("[ConfigProxy] "):])
			colon := bytes.IndexByte(m, ':')
			if colon > 0 && colon < 16 {
				lv := levelLetter(string(m[:colon]))
				rest := stripANSI(m[colon:])
				if len(rest) > 0 && rest[0] == ':' {
					rest = rest[1:]
				}
				if len(rest) > 0 && rest[0] == ' ' {
					rest = rest[1:]
				}
				l.kind, l.level, l.msg = kindProxy, lv, rest
				l.head = []byte("ConfigProxy")
				return
			}
		}
	}
	l.msg = b
}

// loggerOf returns the logger name from a hub header ("JupyterHub app:2775"
// -> "JupyterHub").
func loggerOf(head []byte) string {
	h := bytes.TrimSpace(head)
	if i := bytes.LastIndexByte(h, ' '); i > 0 {
		return string(h[:i])
	}
	if bytes.IndexByte(h, ':') > 0 {
		return ""
	}
	return string(h)
}
