package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Location says where a finding is: a file position when there is one, and
// always a logical subject such as "trait:Authenticator.whitelist",
// "db:revision" or "env:user/jupyterhub".
type Location struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Subject string `json:"subject"`
}

// TextEdit replaces bytes [Start, End) of File with New.
type TextEdit struct {
	File  string `json:"file"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	New   string `json:"new"`
}

// Fix tells how to resolve a finding. Commands are shown, never run.
type Fix struct {
	Description string     `json:"description"`
	Edits       []TextEdit `json:"edits"`
	Commands    []string   `json:"commands"`
}

// Finding is one problem a rule reported.
type Finding struct {
	RuleID   string   `json:"rule_id"`
	RuleName string   `json:"rule_name"`
	Severity Severity `json:"severity"`
	Source   Source   `json:"source"`
	Message  string   `json:"message"`
	Location Location `json:"location"`
	Fix      *Fix     `json:"fix,omitempty"`
	URL      string   `json:"url,omitempty"`
	// Evidence lists other findings about the same subject that were
	// folded into this one (the hub's log warning about the option this
	// config finding is about): the report shows the subject once.
	Evidence []Evidence `json:"evidence"`
	// Aliases are other subjects the same incident is known by in a run
	// with other inputs: a log finding whose option was resolved to the
	// config's assignment (trait:Authenticator.whitelist) keeps the one the
	// hub logged (trait:DummyAuthenticator.whitelist), so that a baseline
	// taken without the config still matches it.
	Aliases []string `json:"aliases"`
	// Suppressed is set (with the reason) when a suppression matched; such
	// findings are kept out of the report's findings list.
	Suppressed string `json:"-"`
	// SuppressedAt is where that suppression was written ("config.py:12",
	// ".hubaudit.yaml:4").
	SuppressedAt string `json:"-"`
}

// Evidence is a finding folded into another one about the same subject.
type Evidence struct {
	RuleID   string   `json:"rule_id"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	File     string   `json:"file,omitempty"`
	Line     int      `json:"line,omitempty"`
	// Aliases are the folded finding's own aliases (see Finding.Aliases).
	Aliases []string `json:"aliases"`
}

// Fingerprint identifies a finding across runs: rule ID and subject, never
// the message, so pre/post comparison and suppressions survive rewording.
func (f Finding) Fingerprint() string { return f.RuleID + "|" + f.Location.Subject }

// Identities are the fingerprints a finding stands for across runs: its
// own, those of its aliases, and those of the findings folded into it as
// evidence (under the host's subject and their own aliases).
func (f Finding) Identities() []string {
	out := []string{f.Fingerprint()}
	for _, a := range f.Aliases {
		out = append(out, f.RuleID+"|"+a)
	}
	for _, e := range f.Evidence {
		out = append(out, e.RuleID+"|"+f.Location.Subject)
		for _, a := range e.Aliases {
			out = append(out, e.RuleID+"|"+a)
		}
	}
	return out
}

// Position returns "file:line:col" (as much as is known) or "".
func (f Finding) Position() string {
	switch {
	case f.Location.File == "":
		return ""
	case f.Location.Line == 0:
		return f.Location.File
	case f.Location.Column == 0:
		return fmt.Sprintf("%s:%d", f.Location.File, f.Location.Line)
	}
	return fmt.Sprintf("%s:%d:%d", f.Location.File, f.Location.Line, f.Location.Column)
}

// Skipped records a rule that did not run and why.
type Skipped struct {
	RuleID string `json:"rule_id"`
	Reason string `json:"reason"`
}

// orEmpty returns l, or an empty list for nil: JSON lists are [] when
// empty, never null.
func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// MarshalJSON writes the fix with its lists always present.
func (f Fix) MarshalJSON() ([]byte, error) {
	type plain Fix
	f.Edits, f.Commands = orEmpty(f.Edits), orEmpty(f.Commands)
	return marshal(plain(f))
}

// MarshalJSON writes the finding with its lists always present.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	f.Evidence, f.Aliases = orEmpty(f.Evidence), orEmpty(f.Aliases)
	return marshal(plain(f))
}

// MarshalJSON writes the evidence with its lists always present.
func (e Evidence) MarshalJSON() ([]byte, error) {
	type plain Evidence
	e.Aliases = orEmpty(e.Aliases)
	return marshal(plain(e))
}

// marshal is json.Marshal without HTML escaping (the report encoders turn
// it off; a MarshalJSON result is not escaped again, nor unescaped).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
