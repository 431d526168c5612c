package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/hubaudit/hubaudit/rules"
)

// GitLab Code Quality (the Code Climate issue format as GitLab reads it):
// a JSON array of issues, each with a description, check name, a
// fingerprint that stays the same across runs, a severity and a path and
// first line.
type ccIssue struct {
	Type        string     `json:"type"`
	CheckName   string     `json:"check_name"`
	Description string     `json:"description"`
	Categories  []string   `json:"categories"`
	Fingerprint string     `json:"fingerprint"`
	Severity    string     `json:"severity"`
	Location    ccLocation `json:"location"`
}

type ccLocation struct {
	Path  string  `json:"path"`
	Lines ccLines `json:"lines"`
}

type ccLines struct {
	Begin int `json:"begin"`
}

// ccSeverity maps a severity to GitLab's (info, minor, major, critical,
// blocker).
func ccSeverity(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "critical"
	case rules.Warning:
		return "major"
	}
	return "info"
}

// ccFingerprint hashes the finding's fingerprint (rule and subject): it
// names no input path and no message, so it survives rewording, a moved
// log or another run; a repeat within one report gets a counter.
func ccFingerprint(f rules.Finding, n int) string {
	s := "hubaudit/v1|" + f.Fingerprint()
	if n > 0 {
		s += fmt.Sprintf("|%d", n)
	}
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

func writeCodeClimate(w io.Writer, r *Report) error {
	out := []ccIssue{}
	seen := map[string]int{}
	for _, f := range r.Findings {
		a := r.anchorOf(f)
		path := repoPath(a.File)
		if a.File == "" {
			path = "."
		}
		line := a.Line
		if line < 1 {
			line = 1
		}
		desc := f.RuleID + " " + f.Message
		if f.Fix != nil && f.Fix.Description != "" {
			desc += " (fix: " + f.Fix.Description + ")"
		}
		n := seen[f.Fingerprint()]
		seen[f.Fingerprint()]++
		out = append(out, ccIssue{
			Type: "issue", CheckName: f.RuleID + " " + f.RuleName, Description: desc,
			Categories:  []string{"Bug Risk"},
			Fingerprint: ccFingerprint(f, n), Severity: ccSeverity(f.Severity),
			Location: ccLocation{Path: path, Lines: ccLines{Begin: line}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
