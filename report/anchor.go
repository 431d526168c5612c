package report

import (
	"strconv"
	"strings"

	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/rules"
)

// anchor is the file position a CI consumer shows a finding at. A finding
// about a file has its own; one about the database, an environment or the
// logs points at what names that input: the config line that sets db_url,
// else the input file itself (the SQLite file, the environment's package
// list, the log). Line is 0 when no line is known.
type anchor struct {
	File string
	Line int
	// Column is the finding's own column (0 when unknown or borrowed).
	Column int
}

// anchorOf returns where CI should show f; File is "" only when the
// report read no input file at all.
func (r *Report) anchorOf(f rules.Finding) anchor {
	if f.Location.File != "" {
		return anchor{File: f.Location.File, Line: f.Location.Line, Column: f.Location.Column}
	}
	subject := f.Location.Subject
	var order []func() anchor
	switch {
	case strings.HasPrefix(subject, "db:") || f.Source == rules.SourceDB:
		order = []func() anchor{r.dbAnchor, r.configAnchor}
	case strings.HasPrefix(subject, "env:") || f.Source == rules.SourceEnv:
		order = []func() anchor{func() anchor { return r.envAnchor(subject) }, r.hubEnvAnchor, r.configAnchor}
	case strings.HasPrefix(subject, "log:") || f.Source == rules.SourceLogs:
		order = []func() anchor{r.logAnchor, r.configAnchor}
	}
	// Whatever the finding is about, the config names the deployment;
	// then the hub environment (it names the version), the database and
	// the logs.
	order = append(order, r.configAnchor, r.hubEnvAnchor, r.dbAnchor, r.logAnchor, r.coverageAnchor)
	for _, a := range order {
		if got := a(); got.File != "" {
			return got
		}
	}
	return anchor{}
}

// configAnchor is the first config file read.
func (r *Report) configAnchor() anchor {
	if c := r.Facts.Config; c != nil && len(c.Files) > 0 {
		return anchor{File: c.Files[0]}
	}
	return anchor{}
}

// dbAnchor is the config line that sets db_url, else the SQLite file.
func (r *Report) dbAnchor() anchor {
	if c := r.Facts.Config; c != nil && c.DBURLFrom != "" {
		if i := strings.LastIndexByte(c.DBURLFrom, ':'); i > 0 {
			if n, err := strconv.Atoi(c.DBURLFrom[i+1:]); err == nil && n > 0 {
				return anchor{File: c.DBURLFrom[:i], Line: n}
			}
		}
	}
	if d := r.Facts.DB; d != nil {
		if p, ok := sqlitePath(d.URL); ok {
			return anchor{File: p}
		}
	}
	return anchor{}
}

// sqlitePath is the file of a sqlite:/// URL.
func sqlitePath(u string) (string, bool) {
	rest, ok := strings.CutPrefix(u, "sqlite:///")
	if !ok {
		return "", false
	}
	rest, _, _ = strings.Cut(rest, "?")
	if rest == "" || rest == ":memory:" {
		return "", false
	}
	return rest, true
}

// envAnchor is the environment a subject "env:ROLE[/NAME]/..." is about.
func (r *Report) envAnchor(subject string) anchor {
	if r.Facts.Env == nil {
		return anchor{}
	}
	key := strings.TrimPrefix(subject, "env:")
	var best *env.Environment
	for i := range r.Facts.Env.Environments {
		e := &r.Facts.Env.Environments[i]
		k := e.Key()
		if (key == k || strings.HasPrefix(key, k+"/")) && isFile(e.Path) && (best == nil || len(k) > len(best.Key())) {
			best = e
		}
	}
	if best == nil {
		return anchor{}
	}
	return anchor{File: best.Path}
}

// hubEnvAnchor is the hub environment's path.
func (r *Report) hubEnvAnchor() anchor {
	if r.Facts.Env != nil {
		if h := r.Facts.Env.Hub(); h != nil && isFile(h.Path) {
			return anchor{File: h.Path}
		}
	}
	return anchor{}
}

// logAnchor is the first log file read.
func (r *Report) logAnchor() anchor {
	if l := r.Facts.Logs; l != nil {
		for _, f := range l.Files {
			if isFile(f) {
				return anchor{File: f}
			}
		}
	}
	return anchor{}
}

// coverageAnchor is the first input read from a file.
func (r *Report) coverageAnchor() anchor {
	for _, c := range r.Coverage {
		if c.Status != CoverageRead || c.Input == InputHubProbe {
			continue
		}
		for _, from := range c.From {
			if p, ok := sqlitePath(from); ok {
				return anchor{File: p}
			}
			if isFile(from) {
				return anchor{File: from}
			}
		}
	}
	return anchor{}
}

// isFile tells a path from what inputs name that is none: "-" (stdin),
// a URL, a journal, words in parentheses.
func isFile(p string) bool {
	return p != "" && p != "-" && !strings.Contains(p, "://") && !strings.HasPrefix(p, "(") && !strings.HasPrefix(p, "journal")
}
