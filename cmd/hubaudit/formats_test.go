package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/internal/formatcheck"
)

// demoReports runs pre and post on the demo deployment, each once, writing
// every machine format to files, and returns their contents by mode and
// format.
func demoReports(t *testing.T, extra ...string) map[string]map[string][]byte {
	t.Helper()
	t.Chdir(demoDir)
	tmp := t.TempDir()
	formats := []string{"sarif", "junit", "json", "codeclimate"}
	out := map[string]map[string][]byte{}
	for _, mode := range []string{"pre", "post"} {
		args := []string{mode, "--target", "5.5.1"}
		if mode == "post" {
			args = []string{mode, "--target", "4.1.6"}
		}
		for _, f := range formats {
			args = append(args, "--output", f+"="+filepath.Join(tmp, mode+"."+f))
		}
		args = append(args, extra...)
		code, _, errs, audits := hubauditCounting(t, nil, args...)
		if code != exitFindings || audits != 1 {
			t.Fatalf("%s: exit %d after %d audits, want 1 and 1 audit\n%s", mode, code, audits, errs)
		}
		out[mode] = map[string][]byte{}
		for _, f := range formats {
			b, err := os.ReadFile(filepath.Join(tmp, mode+"."+f))
			if err != nil {
				t.Fatal(err)
			}
			out[mode][f] = b
		}
	}
	return out
}

// TestDemoFormatsValid validates the demo's pre and post reports against
// the SARIF 2.1.0 schema and GitHub's upload rules, Jenkins'
// junit-10.xsd (with warnings below --fail-on as output and as failures),
// docs/report.schema.json and GitLab's Code Quality format.
func TestDemoFormatsValid(t *testing.T) {
	for _, extra := range [][]string{nil, {"--junit-warnings", "failure"}} {
		reps := demoReports(t, extra...)
		for mode, byFormat := range reps {
			if err := formatcheck.SARIF(byFormat["sarif"]); err != nil {
				t.Errorf("%s %v: SARIF: %v", mode, extra, err)
			}
			if err := formatcheck.JUnit(t, byFormat["junit"]); err != nil {
				t.Errorf("%s %v: JUnit: %v", mode, extra, err)
			}
			if err := formatcheck.ReportJSON(byFormat["json"]); err != nil {
				t.Errorf("%s: JSON: %v", mode, err)
			}
			if err := formatcheck.CodeQuality(byFormat["codeclimate"]); err != nil {
				t.Errorf("%s: Code Quality: %v", mode, err)
			}
		}
		ids, err := formatcheck.SARIFCategories(reps["pre"]["sarif"], reps["post"]["sarif"])
		if err != nil || strings.Join(ids, " ") != "hubaudit/pre/5.5.1/ hubaudit/post/4.1.6/" {
			t.Errorf("categories %v: %v", ids, err)
		}
	}
}

// TestGoldensValid validates every committed golden file of a machine
// format, here and in report/testdata: SARIF, JUnit, the JSON report
// (docs/report.schema.json) and GitLab Code Quality.
func TestGoldensValid(t *testing.T) {
	checks := map[string]func([]byte) error{
		".sarif.golden":       formatcheck.SARIF,
		".junit.golden":       func(b []byte) error { return formatcheck.JUnit(t, b) },
		".json.golden":        formatcheck.ReportJSON,
		".codeclimate.golden": formatcheck.CodeQuality,
	}
	n := 0
	for _, dir := range []string{"testdata", filepath.Join("..", "..", "report", "testdata")} {
		files, err := filepath.Glob(filepath.Join(dir, "*.golden"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			for ext, check := range checks {
				if !strings.HasSuffix(f, ext) {
					continue
				}
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				// The goldens name the checkout as <demo> (normalize);
				// the program wrote a path there.
				for _, ph := range []string{"<demo>", "<deploy>", "<z2jh>"} {
					b = []byte(strings.ReplaceAll(string(b), ph, "/checkout/"+strings.Trim(ph, "<>")))
				}
				if err := check(b); err != nil {
					t.Errorf("%s: %v", f, err)
				}
				n++
			}
		}
	}
	if n < 16 {
		t.Errorf("only %d golden files validated", n)
	}
}

// TestMachinePathsRelative audits the demo by its absolute path from its
// parent folder (a CI job at the root of a checkout, given --dir
// $CI_PROJECT_DIR/demo): SARIF locations and fix edits, and Code Quality
// paths, are relative to the working directory, so GitHub and GitLab place
// them in the repository; a path with a space is percent-encoded in
// SARIF, as a URI must be.
func TestMachinePathsRelative(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "my deploy")
	if err := os.Rename(copyDemo(t), dir); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	sarif, cq := filepath.Join(root, "a.sarif"), filepath.Join(root, "a.json")
	code, _, errs := hubaudit(t, nil, "pre", "--target", "5.5.1", "--dir", dir, "--output", "sarif="+sarif, "--output", "codeclimate="+cq)
	if code != exitFindings {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	s, _ := os.ReadFile(sarif)
	if err := formatcheck.SARIF(s); err != nil {
		t.Errorf("SARIF: %v", err)
	}
	if !strings.Contains(string(s), `"uri": "my%20deploy/jupyterhub_config.py"`) || strings.Contains(grepLines(string(s), `"uri"`), root) {
		t.Errorf("SARIF URIs are not relative and encoded:\n%s", grepLines(string(s), `"uri"`))
	}
	c, _ := os.ReadFile(cq)
	if err := formatcheck.CodeQuality(c); err != nil {
		t.Errorf("Code Quality: %v", err)
	}
	if !strings.Contains(string(c), `"path": "my deploy/jupyterhub_config.py"`) || strings.Contains(grepLines(string(c), `"path"`), root) {
		t.Errorf("Code Quality paths are not relative:\n%s", grepLines(string(c), `"path"`))
	}
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, ln := range strings.Split(s, "\n") {
		if strings.Contains(ln, sub) {
			out = append(out, ln)
		}
	}
	return strings.Join(out, "\n")
}

// codeQuality is GitLab's Code Quality issue as hubaudit writes it.
type codeQuality struct {
	Description string `json:"description"`
	CheckName   string `json:"check_name"`
	Fingerprint string `json:"fingerprint"`
	Severity    string `json:"severity"`
	Location    struct {
		Path  string `json:"path"`
		Lines struct {
			Begin int `json:"begin"`
		} `json:"lines"`
	} `json:"location"`
}

// TestCodeClimate checks the GitLab Code Quality report of the demo: every
// issue has the fields GitLab reads, fingerprints are unique, and they are
// the same in a second run and after the log (an input unrelated to most
// findings) moves to another path.
func TestCodeClimate(t *testing.T) {
	dir := copyDemo(t)
	issues := func(args ...string) []codeQuality {
		t.Helper()
		code, out, errs := hubaudit(t, nil, append([]string{"pre", "--target", "5.5.1", "--dir", dir, "--format", "codeclimate"}, args...)...)
		if code != exitFindings {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var is []codeQuality
		var raw []map[string]any
		if err := json.Unmarshal([]byte(out), &raw); err != nil {
			t.Fatalf("not a JSON array: %v\n%s", err, out)
		}
		if err := json.Unmarshal([]byte(out), &is); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for i, is := range is {
			for _, k := range []string{"description", "check_name", "fingerprint", "severity", "location"} {
				if raw[i][k] == nil {
					t.Errorf("issue %d lacks %s", i, k)
				}
			}
			switch is.Severity {
			case "info", "minor", "major", "critical", "blocker":
			default:
				t.Errorf("%s: severity %q", is.CheckName, is.Severity)
			}
			if is.Location.Path == "" || filepath.IsAbs(is.Location.Path) || is.Location.Lines.Begin < 1 {
				t.Errorf("%s: location %+v", is.CheckName, is.Location)
			}
			if seen[is.Fingerprint] || len(is.Fingerprint) != 32 {
				t.Errorf("%s: fingerprint %q repeated or malformed", is.CheckName, is.Fingerprint)
			}
			seen[is.Fingerprint] = true
		}
		return is
	}
	fingerprints := func(is []codeQuality) string {
		var fps []string
		for _, i := range is {
			fps = append(fps, i.CheckName+" "+i.Fingerprint)
		}
		return strings.Join(fps, "\n")
	}
	t.Chdir(dir)
	first := issues()
	if len(first) < 10 {
		t.Fatalf("%d issues", len(first))
	}
	if again := issues(); fingerprints(again) != fingerprints(first) {
		t.Errorf("a second run changed the fingerprints:\n%s\n---\n%s", fingerprints(first), fingerprints(again))
	}
	if err := os.Rename(filepath.Join(dir, "logs"), filepath.Join(dir, "hub-logs")); err != nil {
		t.Fatal(err)
	}
	moved := issues("--log", "hub-logs/jupyterhub.log")
	if fingerprints(moved) != fingerprints(first) {
		t.Errorf("moving the log changed the fingerprints:\n%s\n---\n%s", fingerprints(first), fingerprints(moved))
	}
	for _, i := range moved {
		if strings.HasPrefix(i.CheckName, "HUB40") && i.Location.Path != "hub-logs/jupyterhub.log" {
			t.Errorf("%s: path %s after the log moved", i.CheckName, i.Location.Path)
		}
	}
}

// TestSARIFMultitool validates the demo's pre and post SARIF and the SARIF
// golden files with Microsoft's SARIF Multitool (validate, its SARIF and
// GitHub rule sets; .ci/run installs it): no error, and no warning but
// SARIF2017 ("region absent") on exactly the results about a whole file,
// where no line is known (the database file, an environment's package
// list, the config as a whole).
func TestSARIFMultitool(t *testing.T) {
	formatcheck.RequireMultitool(t)
	var names []string
	var logs [][]byte
	for _, f := range []string{filepath.Join("testdata", "demo-pre.sarif.golden"), filepath.Join("..", "..", "report", "testdata", "sample.sarif.golden")} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f)
		logs = append(logs, []byte(strings.NewReplacer("<demo>", "/checkout/demo", "<deploy>", "/checkout/deploy").Replace(string(b))))
	}
	reps := demoReports(t)
	for _, mode := range []string{"pre", "post"} {
		names = append(names, "demo "+mode)
		logs = append(logs, reps[mode]["sarif"])
	}
	found, err := formatcheck.Multitool(t, logs...)
	if err != nil {
		t.Fatal(err)
	}
	for i, data := range logs {
		name := names[i]
		var log struct {
			Runs []struct {
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							Region *struct{} `json:"region"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(data, &log); err != nil {
			t.Fatal(err)
		}
		var wholeFile []string
		for i, res := range log.Runs[0].Results {
			if res.Locations[0].PhysicalLocation.Region == nil {
				wholeFile = append(wholeFile, fmt.Sprintf("runs[0].results[%d].locations[0].physicalLocation", i))
			}
		}
		var flagged []string
		for _, f := range found[i] {
			if f.RuleID == "SARIF2017" && f.Level == "warning" {
				flagged = append(flagged, f.Where)
				continue
			}
			t.Errorf("%s: %s %s: %s", name, f.Level, f.RuleID, f.Message)
		}
		if strings.Join(flagged, "\n") != strings.Join(wholeFile, "\n") {
			t.Errorf("%s: SARIF2017 on\n%s\nwant the results without a line:\n%s", name, strings.Join(flagged, "\n"), strings.Join(wholeFile, "\n"))
		}
		t.Logf("%s: %d results, Multitool %s: 0 errors, %d SARIF2017 warnings (whole-file results)", name, len(log.Runs[0].Results), formatcheck.MultitoolVersion, len(flagged))
	}
}

// TestSARIFFixesApply applies the text edits of the demo's SARIF fixes
// (artifactChanges: byte ranges and inserted text) to the files they
// name, as a SARIF viewer's "apply fix" does, and compares the result with
// what fix-config --write makes of the same config (and HUB101's
// suggested spelling): the same bytes.
func TestSARIFFixesApply(t *testing.T) {
	dir := copyDemo(t)
	t.Chdir(dir)
	code, out, errs := hubaudit(t, nil, "pre", "--target", "5.5.1", "--format", "sarif")
	if code != exitFindings {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
				Fixes  []struct {
					ArtifactChanges []struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Replacements []struct {
							DeletedRegion struct {
								ByteOffset int `json:"byteOffset"`
								ByteLength int `json:"byteLength"`
							} `json:"deletedRegion"`
							InsertedContent struct {
								Text string `json:"text"`
							} `json:"insertedContent"`
						} `json:"replacements"`
					} `json:"artifactChanges"`
				} `json:"fixes"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	type edit struct {
		off, n int
		text   string
	}
	edits := map[string][]edit{}
	var fixed []string
	for _, res := range log.Runs[0].Results {
		for _, fix := range res.Fixes {
			fixed = append(fixed, res.RuleID)
			for _, ch := range fix.ArtifactChanges {
				for _, r := range ch.Replacements {
					edits[ch.ArtifactLocation.URI] = append(edits[ch.ArtifactLocation.URI], edit{r.DeletedRegion.ByteOffset, r.DeletedRegion.ByteLength, r.InsertedContent.Text})
				}
			}
		}
	}
	if strings.Join(fixed, " ") != "HUB102 HUB104 HUB102 HUB101" || len(edits) != 1 {
		t.Fatalf("fixes of %v on %d files", fixed, len(edits))
	}
	src, err := os.ReadFile("jupyterhub_config.py")
	if err != nil {
		t.Fatal(err)
	}
	es := edits["jupyterhub_config.py"]
	slices.SortFunc(es, func(a, b edit) int { return b.off - a.off }) // from the end: offsets stay valid
	applied := string(src)
	for _, e := range es {
		applied = applied[:e.off] + e.text + applied[e.off+e.n:]
	}
	if code, _, errs := hubaudit(t, nil, "fix-config", "--target", "5.5.1", "--write"); code != 0 {
		t.Fatalf("fix-config: exit %d\n%s", code, errs)
	}
	written, _ := os.ReadFile("jupyterhub_config.py")
	// fix-config makes the renames (HUB102, HUB104); HUB101's fix is the
	// spelling it suggests, which fix-config leaves to the user.
	want := strings.Replace(string(written), "c.Spawner.notebok_dir =", "c.Spawner.notebook_dir =", 1)
	if want == string(written) || applied != want {
		t.Errorf("the SARIF fixes make\n%s\nfix-config --write and HUB101's spelling make\n%s", applied, want)
	}
}
