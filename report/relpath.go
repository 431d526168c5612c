package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// displayPaths returns r with the paths under dir shown short, for the
// table: relative to the working directory when dir is inside it, else
// relative to dir. So a table does not depend on where a checkout or a
// deployment lives. Commands stay as they are, to run as printed. r is
// returned unchanged when no path needs it (dir relative, or empty).
func displayPaths(r *Report, dir string) *Report {
	if dir == "" {
		return r
	}
	abs, err := filepath.Abs(dir)
	if err != nil || abs == string(filepath.Separator) {
		return r
	}
	to := "" // relative to dir
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			if rel != "." {
				to = rel + string(filepath.Separator)
			}
		}
	}
	from := abs + string(filepath.Separator)
	b, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(b), jsonString(from)) {
		return r
	}
	out := string(b)
	out = strings.ReplaceAll(out, jsonString(from), jsonString(to))
	short := *r
	// Decode into fresh values: json reuses what a pointer or slice
	// already holds, which is r's.
	short.Facts, short.Plan, short.Comparison, short.Knowledge = Facts{}, nil, nil, nil
	short.Findings, short.Skipped, short.Coverage, short.Missing = nil, nil, nil, nil
	short.CurrentVersion, short.TargetVersion = nil, nil
	if err := json.Unmarshal([]byte(out), &short); err != nil || len(short.Findings) != len(r.Findings) {
		return r
	}
	// Commands are kept as they are: they must run as printed.
	for i, f := range r.Findings {
		if f.Fix != nil && short.Findings[i].Fix != nil {
			short.Findings[i].Fix.Commands = f.Fix.Commands
		}
	}
	if r.Plan != nil && short.Plan != nil && len(r.Plan.Steps) == len(short.Plan.Steps) {
		for i, st := range r.Plan.Steps {
			short.Plan.Steps[i].Commands = st.Commands
		}
	}
	return &short
}

// jsonString is s as it appears inside a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
