package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// replayReport is what TestPlanCommandsReplay compares of two reports.
type replayReport struct {
	Target   *string `json:"target_version"`
	Current  *string `json:"current_version"`
	Coverage []struct {
		Input  string   `json:"input"`
		Status string   `json:"status"`
		From   []string `json:"from"`
	} `json:"coverage"`
	Findings []struct {
		RuleID   string `json:"rule_id"`
		Location struct {
			File    string `json:"file"`
			Subject string `json:"subject"`
		} `json:"location"`
	} `json:"findings"`
	Plan *struct {
		Steps []struct {
			ID       string   `json:"id"`
			Commands []string `json:"commands"`
		} `json:"steps"`
	} `json:"plan"`
}

// inputs are the report's inputs as read, one line each (hub_probe left
// out: only post has one).
func (r replayReport) inputs() string {
	var out []string
	for _, c := range r.Coverage {
		if c.Input != "hub_probe" {
			out = append(out, fmt.Sprintf("%s %s %v", c.Input, c.Status, c.From))
		}
	}
	return strings.Join(out, "\n")
}

// findings are the report's findings by rule and subject, sorted.
func (r replayReport) findings() string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.RuleID+" "+f.Location.Subject+" "+f.Location.File)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// command returns the plan's command of step id that runs hubaudit
// mode, the part from "hubaudit" on (a log pipe before it left out).
func (r replayReport) command(t *testing.T, id, mode string) string {
	t.Helper()
	if r.Plan == nil {
		t.Fatal("no plan")
	}
	for _, s := range r.Plan.Steps {
		if s.ID != id {
			continue
		}
		for _, c := range s.Commands {
			if i := strings.Index(c, "hubaudit "+mode+" "); i >= 0 {
				return c[i:]
			}
		}
	}
	t.Fatalf("no hubaudit %s command in the %s step: %+v", mode, id, r.Plan.Steps)
	return ""
}

// bashWords splits a command into its words the way bash does (bash
// itself prints them), comments dropped.
func bashWords(t *testing.T, command string) []string {
	t.Helper()
	out, err := exec.Command("bash", "-c", `set -- `+command+"\n"+`for a; do printf '%s\0' "$a"; done`).Output()
	if err != nil {
		t.Fatalf("splitting %q: %v", command, err)
	}
	words := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(words) < 2 || words[0] != "hubaudit" {
		t.Fatalf("%q splits into %q", command, words)
	}
	return words[1:]
}

// TestPlanCommandsReplay follows the plan as printed, for every kind
// and for inputs whose paths need quoting: the backup step's `hubaudit
// pre --snapshot`, run from where the audit ran, audits the same inputs
// and finds the same findings (it snapshots the deployment audited, not
// the working directory), and the start step's `hubaudit post` reads
// the same config, database and environments against that snapshot.
func TestPlanCommandsReplay(t *testing.T) {
	// A deployment in a folder whose name needs quoting.
	odd := filepath.Join(t.TempDir(), "course hub's")
	if err := os.MkdirAll(odd, 0o755); err != nil {
		t.Fatal(err)
	}
	z2jh := z2jhDeployment(t, "")
	for _, f := range []string{"testdata/kinds/venv/jupyterhub_config.py", "testdata/kinds/venv/hub", filepath.Join(z2jh, "jupyterhub.sqlite")} {
		if err := exec.Command("cp", "-r", f, odd).Run(); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(z2jh, "helm-list.json"), []byte(`[{"name":"jhub","namespace":"hubs","chart":"jupyterhub-3.3.8","app_version":"4.1.6"}]`), 0o644)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"tljh", []string{"--target", "5.5.1", "--dir", "testdata/tljh", "--hub-env", "testdata/tljh/hub-freeze.txt"}},
		{"compose", []string{"--target", "5.5.1", "--dir", "testdata/compose"}},
		{"venv", []string{"--target", "5.5.1", "--dir", "testdata/kinds/venv", "--hub-env", "testdata/kinds/venv/hub", "--checks", "all,-HUB4*"}},
		{"conda", []string{"--target", "5.5.1", "--kind", "conda", "--config", "testdata/kinds/conda/jupyterhub_config.py", "--hub-env", "testdata/kinds/conda/hub"}},
		{"quoted", []string{"--target", "5.5.1", "--dir", odd, "--hub-env", filepath.Join(odd, "hub"), "--db", "sqlite:///" + filepath.Join(odd, "jupyterhub.sqlite")}},
		{"z2jh", []string{"--target", "chart:4.0.0", "--dir", z2jh, "--chart-version", filepath.Join(z2jh, "helm-list.json")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, out, errs := hubaudit(t, nil, append([]string{"pre", "--format", "json"}, c.args...)...)
			var first replayReport
			if err := json.Unmarshal([]byte(out), &first); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, errs)
			}
			pre := bashWords(t, first.command(t, "backup", "pre"))
			snap := filepath.Join(t.TempDir(), "hubaudit-pre.json")
			for i := range pre {
				if pre[i] == "hubaudit-pre.json" {
					pre[i] = snap
				}
			}
			if code, _, errs := hubaudit(t, nil, pre...); code > 1 {
				t.Fatalf("%q: exit %d\n%s", pre, code, errs)
			}
			b, err := os.ReadFile(snap)
			if err != nil {
				t.Fatal(err)
			}
			var s struct {
				Report replayReport `json:"report"`
			}
			if err := json.Unmarshal(b, &s); err != nil {
				t.Fatal(err)
			}
			if got, want := s.Report.inputs(), first.inputs(); got != want {
				t.Errorf("the plan's pre read\n%s\nthe audit read\n%s", got, want)
			}
			if got, want := s.Report.findings(), first.findings(); got != want {
				t.Errorf("the plan's pre found\n%s\nthe audit found\n%s", got, want)
			}
			if *s.Report.Target != *first.Target {
				t.Errorf("the plan's pre targets %s, the audit %s", *s.Report.Target, *first.Target)
			}

			var post []string
			words := bashWords(t, first.command(t, "start", "post"))
			for i := 0; i < len(words); i++ {
				switch words[i] {
				case "hubaudit-pre.json":
					words[i] = snap
				case "--hub-url":
					words[i+1] = "http://127.0.0.1:1/hub/" // nothing listens there
				case "--log":
					if words[i+1] == "HUB-LOG" { // the placeholder the plan asks to fill in
						i++
						continue
					}
				}
				post = append(post, words[i])
			}
			_, out, errs = hubaudit(t, nil, append(post, "--format", "json")...)
			var after replayReport
			if err := json.Unmarshal([]byte(out), &after); err != nil {
				t.Fatalf("%q: not JSON: %v\n%s", post, err, errs)
			}
			for _, in := range []string{"config", "db", "hub_env", "user_envs"} {
				if in == "hub_env" && strings.Contains(pick(first.inputs(), in), "hub image") {
					continue // pre judges the target chart's hub image; post the hub it reaches
				}
				if got, want := pick(after.inputs(), in), pick(first.inputs(), in); got != want {
					t.Errorf("the plan's post read %s, the audit %s", got, want)
				}
			}
		})
	}
}

// pick returns the line of inputs about input.
func pick(inputs, input string) string {
	for _, l := range strings.Split(inputs, "\n") {
		if strings.HasPrefix(l, input+" ") {
			return l
		}
	}
	return ""
}
