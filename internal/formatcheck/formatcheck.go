package formatcheck

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed schema/sarif-2.1.0.json
var sarifSchema []byte

//go:embed schema/junit-10.xsd
var junitXSD []byte

var (
	sarifOnce  sync.Once
	sarifSch   *jsonschema.Schema
	sarifErr   error
	reportOnce sync.Once
	reportSch  *jsonschema.Schema
	reportErr  error
)

func compileSchema(name string, b []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		return nil, err
	}
	return c.Compile(name)
}

// ReportSchemaPath is docs/report.schema.json in this checkout.
func ReportSchemaPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "docs", "report.schema.json")
}

func validate(s *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return s.Validate(inst)
}

// ReportJSON validates a JSON report against docs/report.schema.json.
func ReportJSON(data []byte) error {
	reportOnce.Do(func() {
		var b []byte
		if b, reportErr = os.ReadFile(ReportSchemaPath()); reportErr == nil {
			reportSch, reportErr = compileSchema("report.schema.json", b)
		}
	})
	if reportErr != nil {
		return reportErr
	}
	return validate(reportSch, data)
}

// SARIF validates a SARIF log against the SARIF 2.1.0 schema, then
// applies the rules GitHub code scanning adds on upload (GitHubRules).
func SARIF(data []byte) error {
	sarifOnce.Do(func() { sarifSch, sarifErr = compileSchema("sarif-2.1.0.json", sarifSchema) })
	if sarifErr != nil {
		return sarifErr
	}
	if err := validate(sarifSch, data); err != nil {
		return fmt.Errorf("SARIF 2.1.0 schema: %v", err)
	}
	return GitHubRules(data)
}

// GitHubRules checks what GitHub code scanning needs beyond the schema
// (codeql-action's upload checks, the code scanning ingestion rules, and
// what the SARIF Multitool's GitHub rules require): the log names its
// $schema; every run names its analysis (automationDetails.id, unique in
// the log) and its driver, whose rules each have a shortDescription, a
// fullDescription and help; every result has a rule that its ruleIndex points at,
// message text, a location with a physical artifact whose URI is
// relative to the repository, a region that starts at line 1 or later,
// and a primaryLocationLineHash fingerprint; a fix edits files by URIs
// relative to the repository too.
func GitHubRules(data []byte) error {
	var log sarifLog
	if err := decodeJSON(data, &log); err != nil {
		return err
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if log.Schema == "" {
		bad("no $schema")
	}
	ids := map[string]bool{}
	for ri, run := range log.Runs {
		at := fmt.Sprintf("runs[%d]", ri)
		if run.AutomationDetails == nil || run.AutomationDetails.ID == "" {
			bad("%s: no automationDetails.id (two uploads in one workflow would collide)", at)
		} else if ids[run.AutomationDetails.ID] {
			bad("%s: automationDetails.id %q repeated", at, run.AutomationDetails.ID)
		} else {
			ids[run.AutomationDetails.ID] = true
		}
		if run.Tool.Driver.Name == "" {
			bad("%s: tool.driver.name is empty", at)
		}
		ruleIDs := map[string]bool{}
		for _, r := range run.Tool.Driver.Rules {
			if ruleIDs[r.ID] {
				bad("%s: rule %s described twice", at, r.ID)
			}
			ruleIDs[r.ID] = true
			for name, text := range map[string]*sarifText{"shortDescription": r.ShortDescription, "fullDescription": r.FullDescription, "help": r.Help} {
				if text == nil || strings.TrimSpace(text.Text) == "" {
					bad("%s: rule %s has no %s (GitHub shows it with each alert)", at, r.ID, name)
				}
			}
		}
		for i, res := range run.Results {
			at := fmt.Sprintf("%s.results[%d]", at, i)
			switch {
			case res.RuleID == "":
				bad("%s: no ruleId", at)
			case res.RuleIndex == nil:
				bad("%s: no ruleIndex", at)
			case *res.RuleIndex < 0 || *res.RuleIndex >= len(run.Tool.Driver.Rules):
				bad("%s: ruleIndex %d outside the %d rules", at, *res.RuleIndex, len(run.Tool.Driver.Rules))
			case run.Tool.Driver.Rules[*res.RuleIndex].ID != res.RuleID:
				bad("%s: ruleIndex %d is %s, ruleId %s", at, *res.RuleIndex, run.Tool.Driver.Rules[*res.RuleIndex].ID, res.RuleID)
			}
			if strings.TrimSpace(res.Message.Text) == "" {
				bad("%s (%s): no message.text", at, res.RuleID)
			}
			if res.PartialFingerprints["primaryLocationLineHash"] == "" {
				bad("%s (%s): no partialFingerprints.primaryLocationLineHash", at, res.RuleID)
			}
			for fi, fix := range res.Fixes {
				for ci, ch := range fix.ArtifactChanges {
					if err := repoRelative(ch.ArtifactLocation.URI); err != nil {
						bad("%s.fixes[%d].artifactChanges[%d] (%s): %v", at, fi, ci, res.RuleID, err)
					}
				}
			}
			if len(res.Locations) == 0 {
				bad("%s (%s): no location (code scanning drops it)", at, res.RuleID)
				continue
			}
			for li, loc := range res.Locations {
				at := fmt.Sprintf("%s.locations[%d] (%s)", at, li, res.RuleID)
				p := loc.PhysicalLocation
				if p == nil || p.ArtifactLocation == nil || p.ArtifactLocation.URI == "" {
					bad("%s: no physicalLocation.artifactLocation.uri (code scanning drops it)", at)
					continue
				}
				if err := repoRelative(p.ArtifactLocation.URI); err != nil {
					bad("%s: %v", at, err)
				}
				if p.Region != nil && p.Region.StartLine < 1 {
					bad("%s: region without a startLine of 1 or more", at)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// repoRelative refuses a URI code scanning cannot place in the repository:
// another scheme than file, or an absolute path.
func repoRelative(uri string) error {
	u, err := url.Parse(uri)
	if err != nil {
		return fmt.Errorf("uri %q: %v", uri, err)
	}
	if u.Scheme != "" && u.Scheme != "file" {
		return fmt.Errorf("uri %q: scheme %s", uri, u.Scheme)
	}
	if u.Scheme == "file" || strings.HasPrefix(u.Path, "/") {
		return fmt.Errorf("uri %q: absolute, not relative to the repository", uri)
	}
	return nil
}

// SARIFCategories returns the automationDetails.id of every run of logs,
// with an error when two runs share one (GitHub refuses a second upload
// of the same category in one workflow run).
func SARIFCategories(logs ...[]byte) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, data := range logs {
		var log sarifLog
		if err := decodeJSON(data, &log); err != nil {
			return nil, err
		}
		for _, run := range log.Runs {
			id := ""
			if run.AutomationDetails != nil {
				id = run.AutomationDetails.ID
			}
			if seen[id] {
				return out, fmt.Errorf("two runs have automationDetails.id %q", id)
			}
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// RequireXmllint returns xmllint's path; without it the test is skipped,
// or fails under CI=true (.ci/run installs it).
func RequireXmllint(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is not installed (apt-get install libxml2-utils); CI must validate JUnit against junit-10.xsd")
		}
		t.Skip("xmllint is not installed (apt-get install libxml2-utils): JUnit not validated against junit-10.xsd")
	}
	return p
}

// JUnit validates JUnit XML against Jenkins' junit-10.xsd with xmllint.
func JUnit(t testing.TB, data []byte) error {
	t.Helper()
	xmllint := RequireXmllint(t)
	dir := t.TempDir()
	xsd, doc := filepath.Join(dir, "junit-10.xsd"), filepath.Join(dir, "report.xml")
	if err := os.WriteFile(xsd, junitXSD, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(doc, data, 0o644); err != nil {
		return err
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", xsd, doc).CombinedOutput()
	if err != nil {
		return fmt.Errorf("xmllint --schema junit-10.xsd: %v\n%s", err, strings.ReplaceAll(string(out), dir+string(filepath.Separator), ""))
	}
	return nil
}
