package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// The user-environment cases of issue 11 (item 7), on Debian's real
// jupyterhub 3.0.0 in /usr: without --user-env the report says the user
// environments were not audited, unless the spawner runs servers from the
// hub's own prefix; then, and when --user-env names that prefix, it is
// audited once.

// requireDebianUsr skips (fails with CI=true) without Debian's
// jupyterhub 3.0.0 in /usr, which .ci/install-e2e.sh installs.
func requireDebianUsr(t *testing.T) {
	t.Helper()
	for _, p := range []string{"/usr/bin/jupyterhub", "/usr/lib/python3/dist-packages/jupyterhub-3.0.0.egg-info"} {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true but Debian's jupyterhub 3.0.0 is not installed: %v", err)
			}
			t.Skipf("SKIPPED: Debian's jupyterhub 3.0.0 is not installed (%v)", err)
		}
	}
}

// userEnvReport is the part of a JSON report these tests read.
type userEnvReport struct {
	Findings []jsonFinding `json:"findings"`
	Coverage []struct {
		Input  string   `json:"input"`
		Status string   `json:"status"`
		From   []string `json:"from"`
		Reason string   `json:"reason"`
	} `json:"coverage"`
	Facts struct {
		Env struct {
			Environments []struct {
				Role    string   `json:"role"`
				Path    string   `json:"path"`
				UserEnv string   `json:"user_env"`
				Aliases []string `json:"aliases"`
			} `json:"environments"`
		} `json:"env"`
	} `json:"facts"`
	Plan struct {
		Steps []struct {
			ID       string   `json:"id"`
			Detail   string   `json:"detail"`
			Commands []string `json:"commands"`
		} `json:"steps"`
	} `json:"plan"`
}

// auditUsr runs pre --target 5.5.1 on a deployment with config and the
// jupyterhub of /usr/bin on PATH.
func auditUsr(t *testing.T, config string, args ...string) userEnvReport {
	t.Helper()
	dir := deployment(t, map[string]string{"jupyterhub_config.py": "c = get_config()\nc.Authenticator.allow_all = True\n" + config})
	args = append([]string{"pre", "--target", "5.5.1", "--dir", dir, "--format", "json"}, args...)
	_, out, errs := hubaudit(t, map[string]string{"PATH": "/usr/bin"}, args...)
	var r userEnvReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s\n%s", err, out, errs)
	}
	return r
}

// userEnvs is the user_envs coverage as "status | from | reason".
func (r userEnvReport) userEnvs() string {
	for _, c := range r.Coverage {
		if c.Input == "user_envs" {
			return c.Status + " | " + strings.Join(c.From, "; ") + " | " + c.Reason
		}
	}
	return "no user_envs coverage"
}

// envs lists the environments read, as "role path user_env aliases".
func (r userEnvReport) envs() []string {
	var out []string
	for _, e := range r.Facts.Env.Environments {
		out = append(out, fmt.Sprintf("%s %s %q %q", e.Role, e.Path, e.UserEnv, e.Aliases))
	}
	return out
}

// lines are the findings as "rule message", sorted; dups the ones that
// appear more than once.
func (r userEnvReport) lines() (all, dups []string) {
	seen := map[string]int{}
	for _, f := range r.Findings {
		l := f.RuleID + " " + f.Message
		if seen[l]++; seen[l] == 2 {
			dups = append(dups, l)
		}
		all = append(all, l)
	}
	sort.Strings(all)
	return all, dups
}

// packagesStep is the plan's install step: its detail and commands.
func (r userEnvReport) packagesStep() (string, []string) {
	for _, s := range r.Plan.Steps {
		if s.ID == "packages" {
			return s.Detail, s.Commands
		}
	}
	return "", nil
}

const notAudited = "absent |  | no --user-env given: user environments were not audited"

// TestUserEnvHubPrefix: LocalProcessSpawner (JupyterHub's default) starts
// single-user servers with the hub's PATH, so Debian's /usr is the user
// environment too, and is audited once: each finding once, HUB309 and
// HUB311 judging it as the user environment, one install line in the
// plan, no HUB303 about upgrading the hub's own prefix "with the hub".
func TestUserEnvHubPrefix(t *testing.T) {
	requireDebianUsr(t)
	const why = "LocalProcessSpawner (JupyterHub's default spawner_class in 3.0.0) starts single-user servers with the hub's PATH"
	r := auditUsr(t, "")
	if got, want := r.userEnvs(), "read | /usr (the hub environment: "+why+") | "; got != want {
		t.Errorf("user_envs coverage\n got %s\nwant %s", got, want)
	}
	if got, want := r.envs(), []string{`hub /usr "` + why + `" []`}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("environments %q, want %q", got, want)
	}
	base, dups := r.lines()
	if len(dups) > 0 {
		t.Errorf("findings reported twice: %q", dups)
	}
	for _, l := range base {
		if strings.HasPrefix(l, "HUB303 ") {
			t.Errorf("HUB303 about the hub's own prefix: %s", l)
		}
	}
	if len(byRule(r.Findings, "HUB114")) != 0 {
		t.Errorf("HUB114 although the one environment's Python satisfies >=3.8: %+v", byRule(r.Findings, "HUB114"))
	}
	detail, cmds := r.packagesStep()
	if want := "hub environment /usr (also the user environment): jupyterhub 3.0.0 -> 5.5.1"; !strings.HasPrefix(detail, want) && !strings.Contains(detail, "\n"+want) {
		t.Errorf("plan's packages step does not say %q:\n%s", want, detail)
	}
	// A distribution-managed prefix gets no pip command (the plan moves
	// the hub to a virtualenv), for neither role.
	if strings.Contains(detail, "user usr environment") || len(cmds) != 0 {
		t.Errorf("plan's packages step lists /usr twice:\n%s\n%q", detail, cmds)
	}

	// --user-env naming the hub's prefix, however spelled, and under two
	// names: the same findings, once.
	for _, args := range [][]string{
		{"--user-env", "/usr"},
		{"--user-env", "/usr/", "--user-env", "system=/usr/bin/.."},
	} {
		r := auditUsr(t, "", args...)
		label := strings.Join(args, " ")
		wantFrom := "read | /usr (the hub environment: --user-env " + args[1] + " names the hub's prefix"
		if len(args) > 2 {
			wantFrom += "; also given as system=/usr/bin/.."
		}
		if got := r.userEnvs(); got != wantFrom+") | " {
			t.Errorf("%s: user_envs coverage\n got %s\nwant %s) | ", label, got, wantFrom)
		}
		if len(r.envs()) != 1 {
			t.Errorf("%s: environments %q", label, r.envs())
		}
		got, dups := r.lines()
		if len(dups) > 0 {
			t.Errorf("%s: findings reported twice: %q", label, dups)
		}
		var envOnly, baseEnv []string
		for _, l := range got {
			if strings.HasPrefix(l, "HUB3") {
				envOnly = append(envOnly, l)
			}
		}
		for _, l := range base {
			if strings.HasPrefix(l, "HUB3") {
				baseEnv = append(baseEnv, l)
			}
		}
		if fmt.Sprint(envOnly) != fmt.Sprint(baseEnv) {
			t.Errorf("%s: environment findings\n%s\ndiffer from the default spawner's\n%s", label, strings.Join(envOnly, "\n"), strings.Join(baseEnv, "\n"))
		}
		if _, cmds := r.packagesStep(); len(cmds) != 0 {
			t.Errorf("%s: install commands %q", label, cmds)
		}
	}
}

// TestUserEnvNotAudited: a spawner that does not run servers from the
// hub's PATH, or a command that points elsewhere, leaves the user
// environments unaudited, and every format says so.
func TestUserEnvNotAudited(t *testing.T) {
	requireDebianUsr(t)
	for _, c := range []struct{ config, want string }{
		{"c.JupyterHub.spawner_class = 'dockerspawner.DockerSpawner'\n", notAudited},
		// Not a jupyter command: where it runs servers from is unknown.
		{"c.LocalProcessSpawner.cmd = ['/opt/start-server.sh']\n",
			notAudited + " (LocalProcessSpawner starts single-user servers with the hub's PATH, but c.LocalProcessSpawner.cmd at jupyterhub_config.py:3 may run them from elsewhere)"},
		{"import os\nc.Spawner.cmd = os.environ['SINGLEUSER']\n",
			notAudited + " (LocalProcessSpawner starts single-user servers with the hub's PATH, but c.Spawner.cmd at jupyterhub_config.py:4 may run them from elsewhere)"},
		// SystemdSpawner (3.0.0) keeps the hub's PATH unless extra_paths adds to it.
		{"c.JupyterHub.spawner_class = 'systemdspawner.SystemdSpawner'\nc.SystemdSpawner.extra_paths = ['/opt/env/bin']\n",
			notAudited + " (SystemdSpawner starts single-user servers with the hub's PATH, but c.SystemdSpawner.extra_paths at jupyterhub_config.py:4 may run them from elsewhere)"},
		// A custom class of the config: nothing is known about it.
		{"from jupyterhub.spawner import LocalProcessSpawner\nclass MySpawner(LocalProcessSpawner):\n    pass\nc.JupyterHub.spawner_class = MySpawner\n",
			notAudited + " (the spawner MySpawner is defined in the config: where it runs servers from is unknown)"},
	} {
		r := auditUsr(t, c.config)
		if got := r.userEnvs(); got != c.want {
			t.Errorf("%q: user_envs coverage\n got %s\nwant %s", c.config, got, c.want)
		}
		if len(r.envs()) != 1 || strings.Contains(r.envs()[0], "the hub's PATH") {
			t.Errorf("%q: environments %q", c.config, r.envs())
		}
	}
	// An absolute jupyterhub-singleuser elsewhere is that user environment.
	r := auditUsr(t, "c.Spawner.cmd = ['/opt/elsewhere/bin/jupyterhub-singleuser']\n")
	if got, want := r.userEnvs(), "failed | /opt/elsewhere (from c.Spawner.cmd) | could not read /opt/elsewhere"; got != want {
		t.Errorf("spawner cmd elsewhere: user_envs coverage\n got %s\nwant %s", got, want)
	}
	// A bare command name is looked up on the hub's PATH: the hub's
	// prefix, which has no jupyter-labhub (HUB311).
	r = auditUsr(t, "c.Spawner.cmd = ['jupyter-labhub']\n")
	if got, want := r.userEnvs(), "read | /usr (the hub environment: LocalProcessSpawner (JupyterHub's default spawner_class in 3.0.0) starts single-user servers with the hub's PATH, and c.Spawner.cmd runs jupyter-labhub from it) | "; got != want {
		t.Errorf("bare spawner cmd: user_envs coverage\n got %s\nwant %s", got, want)
	}
	if h := byRule(r.Findings, "HUB311"); len(h) != 1 || h[0].Message != "c.Spawner.cmd runs jupyter-labhub, which the hub and user environment /usr does not provide: spawns will fail" {
		t.Errorf("HUB311: %+v", h)
	}

	// Table and Markdown say it in the inputs line; nothing says "env ok".
	dir := deployment(t, map[string]string{"jupyterhub_config.py": "c = get_config()\nc.JupyterHub.spawner_class = 'dockerspawner.DockerSpawner'\n"})
	for _, format := range []string{"table", "markdown"} {
		_, out, errs := hubaudit(t, map[string]string{"PATH": "/usr/bin", "COLUMNS": "1000"}, "pre", "--target", "5.5.1", "--dir", dir, "--format", format)
		if !strings.Contains(out, "; user envs absent (no --user-env given: user environments were not audited);") || strings.Contains(out, "env ok") {
			t.Errorf("%s: the inputs line does not say the user environments were not audited:\n%s\n%s", format, out, errs)
		}
	}
}
