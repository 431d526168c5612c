package deploy

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"

	"github.com/hubaudit/hubaudit/internal/lazyre"
)

// journalShort matches a line of journalctl's default "short" output:
// "Dec 02 18:00:00 host identifier[pid]: message".
var journalShort = lazyre.New(`^[A-Z][a-z]{2} [ 0-3]\d \d\d:\d\d:\d\d \S+ ([^\s\[:]+)(\[\d+\])?: `)

// logSource says where the log came from: the files as given, and
// whether they are journald output (and of which unit) by their first
// lines. A log on standard input cannot be looked at before the log
// collector reads it; the kind's unit is assumed for it only when the
// kind runs under systemd.
func logSource(files []string, spec *Spec) LogSource {
	ls := LogSource{Files: files}
	for _, f := range files {
		if f == "-" || strings.ContainsAny(f, "*?[") {
			continue
		}
		if unit, ok := sniffJournal(f); ok {
			ls.Journald = true
			if ls.Unit == "" {
				ls.Unit = unit
			}
		}
	}
	if len(files) == 0 && spec != nil && spec.Locations.Unit != "" {
		// No log given: the kind's hub logs to the journal of its unit.
		ls.Journald = true
	}
	if ls.Journald && ls.Unit == "" && spec != nil {
		ls.Unit = spec.Locations.Unit
	}
	return ls
}

// sniffJournal reads the first lines of a log file: journalctl -o json
// carries _SYSTEMD_UNIT; the short format carries the syslog identifier,
// which is the unit's name only when the unit's command is named so.
func sniffJournal(path string) (unit string, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 0; n < 20 && sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		if line[0] == '{' {
			var j struct {
				Unit    string `json:"_SYSTEMD_UNIT"`
				Message any    `json:"MESSAGE"`
			}
			if json.Unmarshal(line, &j) == nil && (j.Unit != "" || j.Message != nil) {
				return strings.TrimSuffix(j.Unit, ".service"), true
			}
			return "", false
		}
		if strings.HasPrefix(string(line), "-- ") {
			continue // "-- Logs begin at ..." / "-- Boot ..." headers
		}
		if m := journalShort().FindSubmatch(line); m != nil {
			id := string(m[1])
			if id == "python" || strings.HasPrefix(id, "python3") {
				id = ""
			}
			return id, true
		}
		return "", false
	}
	return "", false
}
