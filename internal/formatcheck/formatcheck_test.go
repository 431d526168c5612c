package formatcheck

import (
	"strings"
	"testing"
)

// valid is a small SARIF log that GitHub accepts.
const valid = `{"version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "t", "rules": [{"id": "R1"}]}},
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
