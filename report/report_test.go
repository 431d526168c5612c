package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/internal/formatcheck"
	"github.com/hubaudit/hubaudit/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func rule(id, name string, src rules.Source, sev rules.Severity) *rules.Rule {
	return &rules.Rule{ID: id, Name: name, Title: name + " title", Doc: "What " + name + " checks.\n\nHow to fix it.", Severity: sev, Source: src, Run: func(*rules.Pass) error { return nil }}
}

// sample is a report with every part filled: findings of each severity and
// several sources, a skipped rule, a plan and a comparison.
func sample() *Report {
	cur, tgt := "4.1.6", "5.5.1"
	rs := []*rules.Rule{
		rule("HUB101", "unknown-option", rules.SourceConfig, rules.Warning),
		rule("HUB102", "deprecated-option", rules.SourceConfig, rules.Warning),
		rule("HUB201", "upgrade-db-needed", rules.SourceDB, rules.Error),
		rule("HUB301", "version-mismatch", rules.SourceEnv, rules.Error),
		rule("HUB401", "traceback", rules.SourceLogs, rules.Warning),
		rule("HUB402", "spawn-failed", rules.SourceLogs, rules.Warning),
	}
	return &Report{
		SchemaVersion: SchemaVersion, Tool: Tool{Name: "hubaudit", Version: "0.1.0"}, Mode: "pre",
		CurrentVersion: &cur, CurrentFrom: "hub environment envs/hub.txt", TargetVersion: &tgt, Verdict: VerdictNotReady,
		Findings: []rules.Finding{
			{RuleID: "HUB101", RuleName: "unknown-option", Severity: rules.Warning, Source: rules.SourceConfig, Message: "c.Spawner.notebok_dir is not an option of Spawner in 5.5.1; did you mean notebook_dir?", Location: rules.Location{File: "jupyterhub_config.py", Line: 30, Column: 1, Subject: "trait:Spawner.notebok_dir"}, URL: "u1",
				Fix: &rules.Fix{Description: "rename it to notebook_dir", Edits: []rules.TextEdit{{File: "jupyterhub_config.py", Start: 812, End: 823, New: "notebook_dir"}}}},
			{RuleID: "HUB102", RuleName: "deprecated-option", Severity: rules.Warning, Source: rules.SourceConfig, Message: "c.JupyterHub.admin_access | is deprecated since 2.0", Location: rules.Location{File: "jupyterhub_config.py", Line: 14, Column: 1, Subject: "trait:JupyterHub.admin_access"}, Fix: &rules.Fix{Description: "use RBAC roles"}, URL: "u2"},
			{RuleID: "HUB201", RuleName: "upgrade-db-needed", Severity: rules.Error, Source: rules.SourceDB, Message: "the database is at 0eee8c825d24; 5.5.1 needs 4621fec11365", Location: rules.Location{Subject: "db:revision"}, Fix: &rules.Fix{Description: "back up, then run jupyterhub upgrade-db", Commands: []string{"jupyterhub upgrade-db"}}, URL: "u3"},
			{RuleID: "HUB301", RuleName: "version-mismatch", Severity: rules.Note, Source: rules.SourceEnv, Message: "user env image has jupyterhub 4.1.5", Location: rules.Location{Subject: "env:user/image/jupyterhub"}, URL: "u4"},
		},
		Skipped: []rules.Skipped{{RuleID: "HUB401", Reason: "logs: no --log given"}},
		Suppressed: []rules.Finding{{RuleID: "HUB402", RuleName: "spawn-failed", Severity: rules.Warning, Source: rules.SourceLogs, Message: "spawn of alice failed",
			Location: rules.Location{File: "logs/hub.log", Line: 7, Subject: "log:spawn/alice"}, Suppressed: "alice's image is retired", SuppressedAt: ".hubaudit.yaml:3"}},
		Rules:  rs,
		FailOn: rules.Warning,
		Plan: &Plan{From: "4.1.6", To: "5.5.1",
			Steps: []PlanStep{
				{N: 1, ID: "backup", Title: "Back up the database and the config", Commands: []string{"hubaudit backup --to ./hubaudit-backup"}},
				{N: 2, ID: "upgrade-db", Title: "Upgrade the database schema", Detail: "2 migrations", Commands: []string{"jupyterhub upgrade-db"}, Findings: []string{"HUB201"}},
			},
			Migrations: []PlanMigration{{Revision: "3c2384c5aae1", Title: "Add from_config column to the services table", Release: "5.0.0"}, {Revision: "4621fec11365", Title: "manage roles", Release: "5.0.0", Risk: "none"}},
			Changes:    []PlanChange{{Release: "5.0.0", Change: "Python floor raised from >=3.7 to >=3.8"}},
		},
		Comparison: &Comparison{Baseline: "pre --target 5.5.1",
			Versions:   []ValueChange{{Name: "hub env jupyterhub", Old: "4.1.6", New: "5.5.1"}},
			Revision:   &ValueChange{Name: "db revision", Old: "0eee8c825d24", New: "4621fec11365"},
			Counts:     []CountChange{{Name: "users", Old: 6, New: 5}, {Name: "groups", Old: 2, New: 2}},
			ConfigDiff: "--- baseline/c.py\n+++ c.py\n@@ -1 +1 @@\n-a\n+b\n",
			New:        []string{"HUB301|env:user/image/jupyterhub"}, Resolved: []string{"HUB102|trait:JupyterHub.admin_access"},
		},
		Facts: Facts{DB: &db.Facts{Dialect: "sqlite", URL: "sqlite:///jupyterhub.sqlite", Revision: "0eee8c825d24", JupyterHubVersions: []string{"4.0.0", "4.1.6"}, Counts: map[string]int64{"users": 6}},
			Sources: map[rules.Source]rules.SourceState{rules.SourceConfig: {Status: "ok"}, rules.SourceDB: {Status: "ok"}, rules.SourceLogs: {Status: "absent", Reason: "no --log given"}}},
	}
}

func render(t *testing.T, format string, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, format, Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			got := render(t, format, sample())
			path := filepath.Join("testdata", "sample."+format+".golden")
			if *update {
				os.WriteFile(path, got, 0o644)
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s output differs from %s (go test ./report -update to accept):\n%s", format, path, got)
			}
			if !bytes.Equal(got, render(t, format, sample())) {
				t.Error("output is not deterministic")
			}
		})
	}
}

func TestJSONSchemaFields(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(render(t, "json", sample()), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema_version", "tool", "mode", "current_version", "target_version", "verdict", "summary", "findings", "skipped", "facts"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing top-level field %q", k)
		}
	}
	f := m["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"rule_id", "rule_name", "severity", "source", "message", "location", "url"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding misses %q", k)
		}
	}
	if s := m["summary"].(map[string]any); s["error"] != 1.0 || s["warning"] != 2.0 || s["note"] != 1.0 {
		t.Errorf("summary %v", s)
	}
	// An empty report still has lists, not nulls.
	empty := &Report{SchemaVersion: 1, Mode: "post", Verdict: VerdictVerified}
	out := string(render(t, "json", empty))
	for _, s := range []string{`"findings": []`, `"skipped": []`, `"current_version": null`, `"target_version": null`} {
		if !strings.Contains(out, s) {
			t.Errorf("empty report lacks %s:\n%s", s, out)
		}
	}
}

func TestJUnitStructure(t *testing.T) {
	var s junitSuites
	if err := xml.Unmarshal(render(t, "junit", sample()), &s); err != nil {
		t.Fatal(err)
	}
	tests, fails, skips := 0, 0, 0
	for _, su := range s.Suites {
		cases, f, sk := 0, 0, 0
		for _, c := range su.Cases {
			cases++
			if c.Failure != nil {
				f++
			}
			if c.Skipped != nil {
				sk++
			}
		}
		if cases != su.Tests || f != su.Failures || sk != su.Skipped {
			t.Errorf("suite %s counts %d/%d/%d, attributes %d/%d/%d", su.Name, cases, f, sk, su.Tests, su.Failures, su.Skipped)
		}
		tests += cases
		fails += f
		skips += sk
	}
	if tests != s.Tests || fails != s.Failures {
		t.Errorf("totals %d/%d, attributes %d/%d", tests, fails, s.Tests, s.Failures)
	}
	// fail-on warning: HUB101, HUB102 (warnings) and HUB201 (error) fail;
	// HUB301 is a note; HUB401 skipped; HUB402's only finding suppressed.
	if s.Tests != 6 || s.Failures != 3 || skips != 2 {
		t.Errorf("got tests=%d failures=%d skipped=%d", s.Tests, s.Failures, skips)
	}
	r := sample()
	r.FailOn = rules.SeverityNone
	xml.Unmarshal(render(t, "junit", r), &s)
	if s.Failures != 0 {
		t.Errorf("--fail-on never still has %d failures", s.Failures)
	}
}

// TestSARIFStructure checks the properties SARIF 2.1.0 requires (and that
// GitHub code scanning reads) on the log, runs, tool.driver.rules and
// results.
func TestSARIFStructure(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(render(t, "sarif", sample()), &m); err != nil {
		t.Fatal(err)
	}
	if m["version"] != "2.1.0" || m["$schema"] == nil {
		t.Fatalf("version/$schema: %v %v", m["version"], m["$schema"])
	}
	runs := m["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("runs: %d", len(runs))
	}
	run := runs[0].(map[string]any)
	driver := run["tool"].(map[string]any)["driver"].(map[string]any)
	if driver["name"] != "hubaudit" {
		t.Errorf("driver name %v", driver["name"])
	}
	ruleIDs := []string{}
	for _, r := range driver["rules"].([]any) {
		rm := r.(map[string]any)
		ruleIDs = append(ruleIDs, rm["id"].(string))
		for _, k := range []string{"id", "shortDescription", "fullDescription", "help", "helpUri", "defaultConfiguration"} {
			if rm[k] == nil {
				t.Errorf("rule %v lacks %s", rm["id"], k)
			}
		}
		if rm["shortDescription"].(map[string]any)["text"] == "" {
			t.Errorf("rule %v: empty shortDescription.text", rm["id"])
		}
	}
	results := run["results"].([]any)
	if len(results) != 5 {
		t.Fatalf("results: %d", len(results))
	}
	for _, r := range results {
		rm := r.(map[string]any)
		msg := rm["message"].(map[string]any)
		if msg["text"] == "" {
			t.Error("result without message.text")
		}
		idx := int(rm["ruleIndex"].(float64))
		if ruleIDs[idx] != rm["ruleId"] {
			t.Errorf("ruleIndex %d is %s, ruleId %s", idx, ruleIDs[idx], rm["ruleId"])
		}
		switch rm["level"] {
		case "error", "warning", "note", "none":
		default:
			t.Errorf("level %v", rm["level"])
		}
		locs := rm["locations"].([]any)
		loc := locs[0].(map[string]any)
		if rm["ruleId"] == "HUB101" {
			pl := loc["physicalLocation"].(map[string]any)
			if pl["artifactLocation"].(map[string]any)["uri"] != "jupyterhub_config.py" {
				t.Errorf("uri %v", pl["artifactLocation"])
			}
			if pl["region"].(map[string]any)["startLine"] != 30.0 {
				t.Errorf("region %v", pl["region"])
			}
		}
	}
}

// TestFormatsValid validates the sample report, an empty one and one
// with --fail-on never, in SARIF, JUnit, JSON and GitLab Code Quality,
// against the consumers' schemas (internal/formatcheck), and the
// committed golden files too.
func TestFormatsValid(t *testing.T) {
	empty := empty()
	never := sample()
	never.FailOn = rules.SeverityNone
	reports := map[string]*Report{"sample": sample(), "empty": empty, "never": never}
	for name, r := range reports {
		for _, o := range []Options{{}, {JUnitWarnings: JUnitFailure}} {
			if err := formatcheck.SARIF(render(t, "sarif", r)); err != nil {
				t.Errorf("%s: SARIF: %v", name, err)
			}
			var buf bytes.Buffer
			if err := Write(&buf, r, "junit", o); err != nil {
				t.Fatal(err)
			}
			if err := formatcheck.JUnit(t, buf.Bytes()); err != nil {
				t.Errorf("%s %+v: JUnit: %v", name, o, err)
			}
			if err := formatcheck.ReportJSON(render(t, "json", r)); err != nil {
				t.Errorf("%s: JSON: %v", name, err)
			}
			if err := formatcheck.CodeQuality(render(t, "codeclimate", r)); err != nil {
				t.Errorf("%s: Code Quality: %v", name, err)
			}
		}
	}
	for format, check := range map[string]func([]byte) error{
		"sarif":       formatcheck.SARIF,
		"junit":       func(b []byte) error { return formatcheck.JUnit(t, b) },
		"json":        formatcheck.ReportJSON,
		"codeclimate": formatcheck.CodeQuality,
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "sample."+format+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if err := check(b); err != nil {
			t.Errorf("sample.%s.golden: %v", format, err)
		}
	}
}

// TestJSONListsPresent: every list is present, [] when empty, so that
// jq '.plan.steps[].commands[]' works; the schema refuses a report that
// omits one.
func TestJSONListsPresent(t *testing.T) {
	r := sample()
	r.Plan.Steps = append(r.Plan.Steps, PlanStep{N: 3, ID: "restart", Title: "Restart the hub"})
	r.Findings[1].Fix.Commands = nil
	r.Knowledge = &Knowledge{Newest: "5.5.1", Latest: "5.5.1"}
	out := string(render(t, "json", r))
	flat := strings.Join(strings.Fields(out), "")
	for _, want := range []string{`"title":"Restartthehub","commands":[],"findings":[]`, `"edits":[],"commands":[]`, `"evidence":[]`, `"aliases":[]`, `"learned":[]`, `"notes":[]`} {
		if !strings.Contains(flat, want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	if err := formatcheck.ReportJSON([]byte(out)); err != nil {
		t.Fatal(err)
	}
	for _, drop := range []string{`"commands": [],`, `"evidence": [],`, `"coverage": [],`} {
		if !strings.Contains(out, drop) {
			continue
		}
		if err := formatcheck.ReportJSON([]byte(strings.Replace(out, drop, "", 1))); err == nil {
			t.Errorf("the schema accepts a report without %s", drop)
		}
	}
	if err := formatcheck.ReportJSON([]byte(strings.Replace(out, `"verdict": "not_ready"`, `"verdict": "maybe"`, 1))); err == nil {
		t.Error("the schema accepts an unknown verdict")
	}
}

// TestSARIFLocations checks that every result has a physical location:
// a database finding points at the config line that sets db_url, else
// the SQLite file; a suppressed one carries the suppression.
func TestSARIFLocations(t *testing.T) {
	var log struct {
		Runs []struct {
			AutomationDetails struct{ ID string }
			Results           []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine int }
					}
				}
				Fixes []struct {
					ArtifactChanges []struct {
						Replacements []struct {
							DeletedRegion   struct{ ByteOffset, ByteLength int }
							InsertedContent struct{ Text string }
						}
					}
				}
				Suppressions []struct{ Kind, Justification string }
			}
		}
	}
	where := func(r *Report) map[string]string {
		if err := json.Unmarshal(render(t, "sarif", r), &log); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, res := range log.Runs[0].Results {
			pl := res.Locations[0].PhysicalLocation
			w := pl.ArtifactLocation.URI
			if pl.Region != nil {
				w += fmt.Sprintf(":%d", pl.Region.StartLine)
			}
			out[res.RuleID] = w
		}
		return out
	}
	r := sample()
	got := where(r)
	want := map[string]string{"HUB101": "jupyterhub_config.py:30", "HUB102": "jupyterhub_config.py:14", "HUB201": "jupyterhub.sqlite", "HUB301": "jupyterhub.sqlite", "HUB402": "logs/hub.log:7"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("locations %v, want %v", got, want)
	}
	if id := log.Runs[0].AutomationDetails.ID; id != "hubaudit/pre/5.5.1/" {
		t.Errorf("automationDetails.id %q", id)
	}
	for _, res := range log.Runs[0].Results {
		switch res.RuleID {
		case "HUB101":
			if len(res.Fixes) != 1 || fmt.Sprint(res.Fixes[0].ArtifactChanges) != "[{[{{812 11} {notebook_dir}}]}]" {
				t.Errorf("HUB101 fix %+v", res.Fixes)
			}
		case "HUB402":
			if len(res.Suppressions) != 1 || res.Suppressions[0].Kind != "external" || res.Suppressions[0].Justification != "alice's image is retired" {
				t.Errorf("HUB402 suppressions %+v", res.Suppressions)
			}
		default:
			if len(res.Fixes) != 0 || len(res.Suppressions) != 0 {
				t.Errorf("%s: a fix without edits or a suppression: %+v %+v", res.RuleID, res.Fixes, res.Suppressions)
			}
		}
	}
	// With the config read, the database finding points at its db_url line
	// and the environment one at its package list.
	r = sample()
	r.Facts.Config = &config.Facts{Files: []string{"jupyterhub_config.py"}, DBURLFrom: "jupyterhub_config.py:11"}
	r.Facts.Env = &env.Facts{Environments: []env.Environment{{Role: "hub", Path: "envs/hub.txt"}, {Role: "user", Name: "image", Path: "envs/user-image.json"}}}
	got = where(r)
	if got["HUB201"] != "jupyterhub_config.py:11" || got["HUB301"] != "envs/user-image.json" {
		t.Errorf("with config and envs: %v", got)
	}
	if _, err := formatcheck.SARIFCategories(render(t, "sarif", sample()), render(t, "sarif", empty())); err != nil {
		t.Errorf("pre and post share a category: %v", err)
	}
}

func empty() *Report {
	return &Report{SchemaVersion: SchemaVersion, Tool: Tool{Name: "hubaudit", Version: "0.1.0"}, Mode: "post", Verdict: VerdictVerified}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, sample(), "yaml", Options{}); err == nil {
		t.Error("yaml accepted")
	}
}

// TestSourcesLineUserEnvs: a report without coverage (a library caller, a
// schema 1 snapshot) said "env ok" when only the hub environment was read;
// it says that the user environments were not audited (issue 11).
func TestSourcesLineUserEnvs(t *testing.T) {
	r := &Report{Facts: Facts{Sources: map[rules.Source]rules.SourceState{rules.SourceEnv: {Status: "ok"}},
		Env: &env.Facts{Environments: []env.Environment{{Role: env.RoleHub, Path: "/usr"}}}}}
	if got, want := inputsLine(r), "env ok (hub environment only: user environments were not audited)"; got != want {
		t.Errorf("hub only: %q, want %q", got, want)
	}
	r.Facts.Env.Environments[0].UserEnv = "LocalProcessSpawner starts single-user servers with the hub's PATH"
	if got, want := inputsLine(r), "env ok"; got != want {
		t.Errorf("hub serving users: %q, want %q", got, want)
	}
	r.Facts.Env.Environments = append(r.Facts.Env.Environments, env.Environment{Role: env.RoleUser, Name: "image", Path: "image.txt"})
	r.Facts.Env.Environments[0].UserEnv = ""
	if got, want := inputsLine(r), "env ok"; got != want {
		t.Errorf("with a user environment: %q, want %q", got, want)
	}
}
