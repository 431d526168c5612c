package report

import (
	"encoding/json"
	"io"
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
	Tool        sarifTool      `json:"tool"`
	Results     []sarifResult  `json:"results"`
	ColumnKind  string         `json:"columnKind"`
	Invocations []sarifInvoc   `json:"invocations"`
	Properties  map[string]any `json:"properties,omitempty"`
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
}

type sarifFix struct {
	Description sarifText `json:"description"`
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
		Invocations: []sarifInvoc{{ExecutionSuccessful: true}},
		Properties:  map[string]any{"verdict": r.Verdict, "coverage": r.Coverage}}
	if r.Knowledge != nil {
		run.Properties["knowledge"] = r.Knowledge
	}
	for _, m := range r.Missing {
		run.Invocations[0].Notifications = append(run.Invocations[0].Notifications,
			sarifNotification{Level: "error", Message: sarifText{Text: m.Why + "; pass " + m.Flag}})
	}
	for _, f := range r.Findings {
		idx, ok := index[f.RuleID]
		if !ok {
			continue // a rule unknown to the report cannot be described
		}
		res := sarifResult{
			RuleID: f.RuleID, RuleIndex: idx, Level: sarifLevel(f.Severity),
			Message:             sarifText{Text: f.Message},
			PartialFingerprints: map[string]string{"hubaudit/v1": f.Fingerprint()},
		}
		loc := sarifLocation{}
		if f.Location.File != "" {
			p := &sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(f.Location.File)}}
			if f.Location.Line > 0 {
				p.Region = &sarifRegion{StartLine: f.Location.Line, StartColumn: f.Location.Column}
			}
			loc.PhysicalLocation = p
		}
		if f.Location.Subject != "" {
			loc.LogicalLocations = []sarifLogical{{FullyQualifiedName: f.Location.Subject, Kind: "member"}}
		}
		res.Locations = []sarifLocation{loc}
		if f.Fix != nil && f.Fix.Description != "" {
			res.Fixes = []sarifFix{{Description: sarifText{Text: f.Fix.Description}}}
		}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// artifactURI turns a path into a relative, slash-separated URI reference
// (what code-scanning tools resolve against the repository root).
func artifactURI(p string) string {
	p = filepath.ToSlash(filepath.Clean(p))
	if filepath.IsAbs(p) {
		return "file://" + p
	}
	return strings.TrimPrefix(p, "./")
}

func firstParagraph(doc string) string {
	doc = strings.TrimSpace(doc)
	if i := strings.Index(doc, "\n\n"); i >= 0 {
		return doc[:i]
	}
	return doc
}
