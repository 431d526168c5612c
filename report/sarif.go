package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/hubaudit/hubaudit/rules"
)

// SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool       `json:"tool"`
	AutomationDetails sarifAutomation `json:"automationDetails"`
	Results           []sarifResult   `json:"results"`
	ColumnKind        string          `json:"columnKind"`
	Invocations       []sarifInvoc    `json:"invocations"`
	Properties        map[string]any  `json:"properties,omitempty"`
}

// sarifAutomation identifies a run: code scanning keeps one analysis per
// id, so a pre and a post report (or two targets) upload side by side.
type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifInvoc struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
	// Notifications name the inputs an incomplete verdict lacks.
	Notifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	HelpURI              string            `json:"helpUri"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           map[string]string `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
	Suppressions        []sarifSuppress   `json:"suppressions,omitempty"`
	// Properties carry a fix that is no text edit: what to do and the
	// commands to run.
	Properties map[string]any `json:"properties,omitempty"`
}

// sarifFix is a fix with the text edits that make it.
type sarifFix struct {
	Description     sarifText           `json:"description"`
	ArtifactChanges []sarifArtifactEdit `json:"artifactChanges"`
}

type sarifArtifactEdit struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifByteRegion `json:"deletedRegion"`
	InsertedContent sarifContent    `json:"insertedContent"`
}

// sarifByteRegion is a byte range: fix edits count bytes.
type sarifByteRegion struct {
	ByteOffset int `json:"byteOffset"`
	ByteLength int `json:"byteLength"`
}

type sarifContent struct {
	Text string `json:"text"`
}

// sarifSuppress says a finding was suppressed, where and why.
type sarifSuppress struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "note"
}

func writeSARIF(w io.Writer, r *Report) error {
	driver := sarifDriver{Name: "hubaudit", Version: r.Tool.Version, InformationURI: "https://github.com/hubaudit/hubaudit", Rules: []sarifRule{}}
	index := map[string]int{}
	addRule := func(rule *rules.Rule) {
		if _, ok := index[rule.ID]; ok {
			return
		}
		index[rule.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{
			ID: rule.ID, Name: rule.Name,
			ShortDescription:     sarifText{Text: rule.Title},
			FullDescription:      sarifText{Text: firstParagraph(rule.Doc)},
			Help:                 sarifText{Text: rule.Doc, Markdown: rule.Doc},
			HelpURI:              rule.URL(),
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(rule.Severity)},
			Properties:           map[string]string{"source": string(rule.Source)},
		})
	}
	for _, rule := range r.Rules {
		addRule(rule)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}, ColumnKind: "unicodeCodePoints",
		AutomationDetails: sarifAutomation{ID: automationID(r)},
		Invocations:       []sarifInvoc{{ExecutionSuccessful: true}},
		Properties:        map[string]any{"verdict": r.Verdict, "coverage": r.Coverage}}
	if r.Knowledge != nil {
		run.Properties["knowledge"] = r.Knowledge
	}
	for _, m := range r.Missing {
		run.Invocations[0].Notifications = append(run.Invocations[0].Notifications,
			sarifNotification{Level: "error", Message: sarifText{Text: m.Why + "; pass " + m.Flag}})
	}
	all := append(append([]rules.Finding{}, r.Findings...), r.Suppressed...)
	for _, f := range all {
		idx, ok := index[f.RuleID]
		if !ok {
			continue // a rule unknown to the report cannot be described
		}
		run.Results = append(run.Results, r.sarifResult(f, idx))
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// sarifResult is one finding as a SARIF result.
func (r *Report) sarifResult(f rules.Finding, idx int) sarifResult {
	res := sarifResult{
		RuleID: f.RuleID, RuleIndex: idx, Level: sarifLevel(f.Severity),
		Message: sarifText{Text: f.Message},
		PartialFingerprints: map[string]string{
			"hubaudit/v1": f.Fingerprint(),
			// Code scanning matches alerts across runs by this; the
			// finding's fingerprint is stable where a line hash is not
			// (a finding about the database has no line).
			"primaryLocationLineHash": lineHash(f),
		},
	}
	loc := sarifLocation{}
	if a := r.anchorOf(f); a.File != "" {
		p := &sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(a.File)}}
		if a.Line > 0 {
			p.Region = &sarifRegion{StartLine: a.Line, StartColumn: a.Column}
		}
		loc.PhysicalLocation = p
	}
	if f.Location.Subject != "" {
		loc.LogicalLocations = []sarifLogical{{FullyQualifiedName: f.Location.Subject, Kind: "member"}}
	}
	res.Locations = []sarifLocation{loc}
	if f.Fix != nil {
		if changes := artifactChanges(f.Fix.Edits); len(changes) > 0 {
			desc := f.Fix.Description
			if desc == "" {
				desc = "apply the edit"
			}
			res.Fixes = []sarifFix{{Description: sarifText{Text: desc}, ArtifactChanges: changes}}
		}
		fix := map[string]any{}
		if f.Fix.Description != "" {
			fix["description"] = f.Fix.Description
		}
		if len(f.Fix.Commands) > 0 {
			fix["commands"] = f.Fix.Commands
		}
		if len(fix) > 0 {
			res.Properties = map[string]any{"fix": fix}
		}
	}
	if f.Suppressed != "" {
		kind := "external"
		if f.SuppressedAt != "" && !strings.HasPrefix(filepath.Base(f.SuppressedAt), ".hubaudit.") {
			kind = "inSource" // a comment in the config
		}
		res.Suppressions = []sarifSuppress{{Kind: kind, Status: "accepted", Justification: f.Suppressed}}
	}
	return res
}

// artifactChanges turns a fix's byte-range edits into SARIF changes, one
// per file in the order the files first appear.
func artifactChanges(edits []rules.TextEdit) []sarifArtifactEdit {
	var out []sarifArtifactEdit
	at := map[string]int{}
	for _, e := range edits {
		if e.File == "" || e.Start < 0 || e.End < e.Start {
			continue
		}
		i, ok := at[e.File]
		if !ok {
			i = len(out)
			at[e.File] = i
			out = append(out, sarifArtifactEdit{ArtifactLocation: sarifArtifact{URI: artifactURI(e.File)}})
		}
		out[i].Replacements = append(out[i].Replacements, sarifReplacement{
			DeletedRegion:   sarifByteRegion{ByteOffset: e.Start, ByteLength: e.End - e.Start},
			InsertedContent: sarifContent{Text: e.New},
		})
	}
	return out
}

// automationID names a run by mode and target ("hubaudit/pre/5.5.1/"), so
// code scanning keeps a pre and a post analysis apart.
func automationID(r *Report) string {
	id := "hubaudit/" + r.Mode + "/"
	if r.TargetVersion != nil {
		id += *r.TargetVersion + "/"
	}
	return id
}

// lineHash is a stable stand-in for code scanning's line hash: a hash of
// the finding's fingerprint, with the occurrence count GitHub appends.
func lineHash(f rules.Finding) string {
	sum := sha256.Sum256([]byte(f.Fingerprint()))
	return hex.EncodeToString(sum[:8]) + ":1"
}

// artifactURI turns a path into the URI code scanning places in the
// repository: relative and slash-separated (repoPath), percent-encoded
// where a character needs it; a path outside the working directory stays
// absolute, as a file URI.
func artifactURI(p string) string {
	p = repoPath(p)
	if path.IsAbs(p) {
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

// repoPath is p as a CI system names a file of the repository it runs
// in: slash-separated, relative to the working directory (where a CI job
// runs, the checkout's root) when p is inside it, else absolute.
func repoPath(p string) string {
	p = filepath.Clean(p)
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				p = rel
			}
		}
	}
	return filepath.ToSlash(p)
}

func firstParagraph(doc string) string {
	doc = strings.TrimSpace(doc)
	if i := strings.Index(doc, "\n\n"); i >= 0 {
		return doc[:i]
	}
	return doc
}
