package formatcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// codeQualityIssue is one issue of a GitLab Code Quality report, with the
// fields GitLab's documentation of the format names (docs.gitlab.com,
// ci/testing/code_quality, "Code Quality report format").
type codeQualityIssue struct {
	Description *string `json:"description"`
	CheckName   *string `json:"check_name"`
	Fingerprint *string `json:"fingerprint"`
	Severity    *string `json:"severity"`
	Location    *struct {
		Path  *string `json:"path"`
		Lines *struct {
			Begin *json.Number `json:"begin"`
		} `json:"lines"`
		Positions *struct {
			Begin *struct {
				Line *json.Number `json:"line"`
			} `json:"begin"`
		} `json:"positions"`
	} `json:"location"`
}

// CodeQuality checks a GitLab Code Quality report the way GitLab reads
// one: a JSON array of issues, each with a description, a check_name, a
// fingerprint (unique in the report: GitLab shows only the first issue of
// a fingerprint), a severity of info, minor, major, critical or blocker,
// and a location whose path is relative to the repository (no "./", not
// absolute, no URI) with a first line of 1 or more in lines.begin (or
// positions.begin.line).
func CodeQuality(data []byte) error {
	var issues []codeQualityIssue
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&issues); err != nil {
		return fmt.Errorf("not a JSON array of issues: %v", err)
	}
	if issues == nil {
		return errors.New("null, not an array")
	}
	var errs []error
	seen := map[string]int{}
	for i, is := range issues {
		at := fmt.Sprintf("[%d]", i)
		if is.CheckName != nil {
			at += " (" + *is.CheckName + ")"
		}
		bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(at+": "+format, args...)) }
		for name, v := range map[string]*string{"description": is.Description, "check_name": is.CheckName, "fingerprint": is.Fingerprint} {
			if v == nil || strings.TrimSpace(*v) == "" {
				bad("no %s", name)
			}
		}
		if is.Fingerprint != nil && *is.Fingerprint != "" {
			if j, ok := seen[*is.Fingerprint]; ok {
				bad("fingerprint %s repeats issue [%d] (GitLab shows only one)", *is.Fingerprint, j)
			}
			seen[*is.Fingerprint] = i
		}
		switch {
		case is.Severity == nil:
			bad("no severity")
		default:
			switch *is.Severity {
			case "info", "minor", "major", "critical", "blocker":
			default:
				bad("severity %q is none of info, minor, major, critical, blocker", *is.Severity)
			}
		}
		if is.Location == nil {
			bad("no location")
			continue
		}
		switch p := is.Location.Path; {
		case p == nil || *p == "":
			bad("no location.path")
		case strings.HasPrefix(*p, "/") || strings.Contains(*p, "://"):
			bad("location.path %q is not relative to the repository", *p)
		case strings.HasPrefix(*p, "./"):
			bad("location.path %q begins with ./", *p)
		}
		var line *json.Number
		if l := is.Location.Lines; l != nil {
			line = l.Begin
		} else if p := is.Location.Positions; p != nil && p.Begin != nil {
			line = p.Begin.Line
		}
		if line == nil {
			bad("no location.lines.begin")
		} else if n, err := line.Int64(); err != nil || n < 1 {
			bad("location.lines.begin %s is not a line number", line)
		}
	}
	return errors.Join(errs...)
}
