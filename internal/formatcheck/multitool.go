package formatcheck

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// MultitoolVersion is the SARIF Multitool release .ci/run installs.
const MultitoolVersion = "5.7.0"

// MultitoolFinding is one thing the SARIF Multitool's validate command
// reports about a log: the rule (SARIF2017, GH1015, JSON1002, ...), its
// level (error, warning, note), the place in the log it is about
// ("runs[0].results[3].locations[0].physicalLocation") and its message.
type MultitoolFinding struct {
	RuleID, Level, Where, Message string
}

// RequireMultitool returns the path of Microsoft's SARIF Multitool: the
// Sarif.Multitool binary that $HUBAUDIT_SARIF_MULTITOOL names (.ci/run
// installs the npm package @microsoft/sarif-multitool-linux and sets it),
// else Sarif.Multitool on PATH. Without it the test is skipped, or fails
// under CI=true; HUBAUDIT_SARIF_MULTITOOL=unavailable skips it in CI too
// (.ci/run on a machine the tool has no build for).
func RequireMultitool(t testing.TB) string {
	t.Helper()
	p := os.Getenv("HUBAUDIT_SARIF_MULTITOOL")
	if p == "unavailable" {
		t.Skip("HUBAUDIT_SARIF_MULTITOOL=unavailable: the SARIF Multitool has no build for this machine")
	}
	if p == "" {
		p, _ = exec.LookPath("Sarif.Multitool")
	}
	if p != "" {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	msg := "the SARIF Multitool is not installed (npm install @microsoft/sarif-multitool-linux@" + MultitoolVersion +
		", then HUBAUDIT_SARIF_MULTITOOL=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI must validate SARIF with it")
	}
	t.Skip(msg)
	return ""
}

// Multitool runs the SARIF Multitool's validate command on SARIF logs
// with both its rule sets, the SARIF specification's (schema and
// SARIF2xxx) and GitHub's (GHxxxx: what GitHub Advanced Security needs),
// and returns what it reports about each, in the order of logs. One run
// validates them all: the tool takes seconds to start.
func Multitool(t testing.TB, logs ...[]byte) ([][]MultitoolFinding, error) {
	t.Helper()
	tool := RequireMultitool(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "validation.sarif")
	args := []string{"validate", "--rule-kind", "Sarif;Gh", "--output", out}
	index := map[string]int{}
	for i, data := range logs {
		in := filepath.Join(dir, fmt.Sprintf("log%d.sarif", i))
		if err := os.WriteFile(in, data, 0o644); err != nil {
			return nil, err
		}
		args = append(args, in)
		index[filepath.Base(in)] = i
	}
	cmd := exec.Command(tool, args...)
	// .NET without ICU (a minimal Debian) runs in invariant mode.
	cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1", "DOTNET_CLI_TELEMETRY_OPTOUT=1")
	console, err := cmd.CombinedOutput()
	b, rerr := os.ReadFile(out)
	if rerr != nil {
		return nil, fmt.Errorf("Sarif.Multitool validate wrote no log (%v): %v\n%s", err, rerr, console)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID             string `json:"id"`
						MessageStrings map[string]struct {
							Text string `json:"text"`
						} `json:"messageStrings"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex *int   `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text      string   `json:"text"`
					ID        string   `json:"id"`
					Arguments []string `json:"arguments"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
			Invocations []struct {
				Notifications []struct {
					Level   string `json:"level"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		return nil, fmt.Errorf("Sarif.Multitool's log: %v", err)
	}
	found := make([][]MultitoolFinding, len(logs))
	for _, run := range log.Runs {
		for _, inv := range run.Invocations {
			for _, n := range inv.Notifications {
				if n.Level == "error" {
					return nil, fmt.Errorf("Sarif.Multitool failed: %s\n%s", n.Message.Text, console)
				}
			}
		}
		for _, res := range run.Results {
			f := MultitoolFinding{RuleID: res.RuleID, Level: res.Level, Message: res.Message.Text}
			if res.RuleIndex != nil && *res.RuleIndex < len(run.Tool.Driver.Rules) {
				rule := run.Tool.Driver.Rules[*res.RuleIndex]
				if f.Level == "" {
					f.Level = rule.DefaultConfiguration.Level
				}
				if f.Message == "" {
					f.Message = fillArguments(rule.MessageStrings[res.Message.ID].Text, res.Message.Arguments)
				}
			}
			if f.Level == "" {
				f.Level = "warning" // SARIF's default
			}
			if len(res.Message.Arguments) > 0 {
				f.Where = res.Message.Arguments[0]
			}
			if len(res.Locations) == 0 {
				return nil, fmt.Errorf("Sarif.Multitool reported %s on no file", res.RuleID)
			}
			i, ok := index[path.Base(res.Locations[0].PhysicalLocation.ArtifactLocation.URI)]
			if !ok {
				return nil, fmt.Errorf("Sarif.Multitool reported %s on %s", res.RuleID, res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
			}
			found[i] = append(found[i], f)
		}
	}
	return found, nil
}

var placeholder = regexp.MustCompile(`\{(\d+)\}`)

// fillArguments puts a SARIF message's arguments into its text's {N}.
func fillArguments(text string, args []string) string {
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		if i, err := strconv.Atoi(strings.Trim(m, "{}")); err == nil && i < len(args) {
			return args[i]
		}
		return m
	})
}
