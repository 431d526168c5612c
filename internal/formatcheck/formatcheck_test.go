package formatcheck

import (
	"slices"
	"strings"
	"testing"
)

// valid is a small SARIF log that GitHub accepts.
const valid = `{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "t", "rules": [{"id": "R1", "shortDescription": {"text": "s"}, "fullDescription": {"text": "f"}, "help": {"text": "h"}}]}},
  "automationDetails": {"id": "t/pre/"},
  "results": [{"ruleId": "R1", "ruleIndex": 0, "message": {"text": "m"},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a/b.py"}, "region": {"startLine": 3}}}],
    "partialFingerprints": {"primaryLocationLineHash": "ab:1"}}]}]}`

func TestSARIF(t *testing.T) {
	if err := SARIF([]byte(valid)); err != nil {
		t.Fatalf("a valid log is refused: %v", err)
	}
	// Each of the errors hubaudit's SARIF once had, and GitHub's other
	// refusals, is caught.
	cases := []struct{ old, new, want string }{
		{`"partialFingerprints"`, `"fixes": [{"description": {"text": "do it"}}], "partialFingerprints"`, "artifactChanges"},
		{`"locations": [{"physicalLocation": {"artifactLocation": {"uri": "a/b.py"}, "region": {"startLine": 3}}}]`, `"locations": [{"logicalLocations": [{"fullyQualifiedName": "db:revision"}]}]`, "no physicalLocation"},
		{`"locations": [{"physicalLocation": {"artifactLocation": {"uri": "a/b.py"}, "region": {"startLine": 3}}}],`, ``, "no location"},
		{`"automationDetails": {"id": "t/pre/"},`, ``, "no automationDetails.id"},
		{`"partialFingerprints": {"primaryLocationLineHash": "ab:1"}`, `"partialFingerprints": {"x": "1"}`, "primaryLocationLineHash"},
		{`"ruleIndex": 0`, `"ruleIndex": 1`, "ruleIndex 1 outside"},
		{`"message": {"text": "m"}`, `"message": {"text": " "}`, "no message.text"},
		{`"uri": "a/b.py"`, `"uri": "file:///etc/b.py"`, "absolute"},
		{`"uri": "a/b.py"`, `"uri": "https://x/b.py"`, "scheme https"},
		{`"version": "2.1.0"`, `"version": "2.0.0"`, "schema"},
		{`"$schema": "https://json.schemastore.org/sarif-2.1.0.json", `, ``, "no $schema"},
		{`"fullDescription": {"text": "f"}, `, ``, "rule R1 has no fullDescription"},
		{`"help": {"text": "h"}`, `"help": {"text": ""}`, "rule R1 has no help"},
		{`"partialFingerprints"`, `"fixes": [{"description": {"text": "do it"}, "artifactChanges": [{"artifactLocation": {"uri": "file:///srv/b.py"},
		  "replacements": [{"deletedRegion": {"byteOffset": 0, "byteLength": 1}, "insertedContent": {"text": "x"}}]}]}], "partialFingerprints"`, "fixes[0].artifactChanges[0] (R1): uri"},
	}
	for _, c := range cases {
		doc := strings.Replace(valid, c.old, c.new, 1)
		if doc == valid {
			t.Fatalf("case %q changes nothing", c.want)
		}
		err := SARIF([]byte(doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v", c.want, err)
		}
	}
	if _, err := SARIFCategories([]byte(valid), []byte(valid)); err == nil {
		t.Error("two logs of one category accepted")
	}
}

func TestJUnit(t *testing.T) {
	ok := `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="x" tests="1" failures="0" errors="0"><testsuite name="s" tests="1" failures="0" errors="0" skipped="1" time="0">
<testcase name="c" classname="s" time="0"><skipped message="why"></skipped></testcase></testsuite></testsuites>`
	if err := JUnit(t, []byte(ok)); err != nil {
		t.Fatalf("valid JUnit refused: %v", err)
	}
	bad := strings.Replace(ok, `errors="0">`, `errors="0" skipped="1">`, 1)
	if err := JUnit(t, []byte(bad)); err == nil || !strings.Contains(err.Error(), "skipped") {
		t.Errorf("skipped on <testsuites> accepted: %v", err)
	}
}

func TestCodeQuality(t *testing.T) {
	ok := `[{"description": "d", "check_name": "HUB101 x", "fingerprint": "f1", "severity": "major",
  "location": {"path": "deploy/jupyterhub_config.py", "lines": {"begin": 3}}},
 {"description": "d", "check_name": "HUB201 y", "fingerprint": "f2", "severity": "info",
  "location": {"path": "jupyterhub.sqlite", "positions": {"begin": {"line": 1}}}}]`
	if err := CodeQuality([]byte(ok)); err != nil {
		t.Fatalf("a valid report is refused: %v", err)
	}
	if err := CodeQuality([]byte(`[]`)); err != nil {
		t.Errorf("an empty report is refused: %v", err)
	}
	cases := []struct{ old, new, want string }{
		{`"fingerprint": "f2"`, `"fingerprint": "f1"`, "repeats issue [0]"},
		{`"severity": "major"`, `"severity": "warning"`, `severity "warning"`},
		{`"description": "d", `, ``, "no description"},
		{`"check_name": "HUB101 x", `, ``, "no check_name"},
		{`"fingerprint": "f1", `, `"fingerprint": "", `, "no fingerprint"},
		{`"path": "deploy/jupyterhub_config.py"`, `"path": "/srv/deploy/jupyterhub_config.py"`, "not relative"},
		{`"path": "deploy/jupyterhub_config.py"`, `"path": "file:///srv/x.py"`, "not relative"},
		{`"path": "deploy/jupyterhub_config.py"`, `"path": "./deploy/x.py"`, "begins with ./"},
		{`"lines": {"begin": 3}`, `"lines": {"begin": 0}`, "not a line number"},
		{`"lines": {"begin": 3}`, `"lines": {}`, "no location.lines.begin"},
		{`"location": {"path": "deploy/jupyterhub_config.py", "lines": {"begin": 3}}`, `"loc": {}`, "no location"},
	}
	for _, c := range cases {
		doc := strings.Replace(ok, c.old, c.new, 1)
		if doc == ok {
			t.Fatalf("case %q changes nothing", c.want)
		}
		if err := CodeQuality([]byte(doc)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v", c.want, err)
		}
	}
	for _, doc := range []string{`{}`, `null`, `[1]`} {
		if err := CodeQuality([]byte(doc)); err == nil {
			t.Errorf("%s accepted", doc)
		}
	}
}

// TestMultitool: the SARIF Multitool accepts the valid log with at most
// notes and reports the errors hubaudit's SARIF once had.
func TestMultitool(t *testing.T) {
	cases := []struct{ old, new, want string }{
		{`"partialFingerprints"`, `"fixes": [{"description": {"text": "do it"}}], "partialFingerprints"`, "JSON1002 runs[0].results[0].fixes[0]"},
		{`"locations": [{"physicalLocation": {"artifactLocation": {"uri": "a/b.py"}, "region": {"startLine": 3}}}],`, ``, "GH1015 runs[0].results[0]"},
	}
	logs := [][]byte{[]byte(valid)}
	for _, c := range cases {
		logs = append(logs, []byte(strings.Replace(valid, c.old, c.new, 1)))
	}
	found, err := Multitool(t, logs...)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found[0] {
		if f.Level == "error" {
			t.Errorf("the valid log: %+v", f)
		}
	}
	for i, c := range cases {
		var got []string
		for _, f := range found[i+1] {
			if f.Level == "error" {
				got = append(got, f.RuleID+" "+f.Where)
			}
		}
		if !slices.Contains(got, c.want) {
			t.Errorf("no %s in %v", c.want, got)
		}
	}
}
