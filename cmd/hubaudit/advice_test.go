package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestSharedPasswordAdvice is issue 11's "advice that hurts" case: the
// DummyAuthenticator.password fix used to say only "use
// SharedPasswordAuthenticator.user_password", which followed literally
// keeps DummyAuthenticator running without a password and locks the admin
// out. It now gives the whole change: the class by its entry point, the
// password's new home, admin_password (32+ characters) for the admins and
// an allow config, DummyAuthenticator's own default being gone.
func TestSharedPasswordAdvice(t *testing.T) {
	dir := deployment(t, map[string]string{
		"jupyterhub_config.py": "c = get_config()\nc.JupyterHub.authenticator_class = 'dummy'\nc.DummyAuthenticator.password = 'course-2026'\nc.Authenticator.admin_users = {'root'}\n",
	})
	_, fs := auditJSON(t, "pre", "--target", "5.5.1", "--dir", dir)
	h := byRule(fs, "HUB102")
	if len(h) != 1 || h[0].Fix == nil {
		t.Fatalf("HUB102: %+v", h)
	}
	if !strings.Contains(h[0].Message, "takes effect only with SharedPasswordAuthenticator selected") {
		t.Errorf("message: %s", h[0].Message)
	}
	for _, want := range []string{
		`c.JupyterHub.authenticator_class = "shared-password"`,
		"c.SharedPasswordAuthenticator.user_password (at least 8 characters)",
		"c.SharedPasswordAuthenticator.admin_password (at least 32 characters, not the same as user_password) for the admin users (root)",
		"c.Authenticator.allow_all = True, which admits anyone who knows user_password",
	} {
		if !strings.Contains(h[0].Fix.Description, want) {
			t.Errorf("fix lacks %q: %s", want, h[0].Fix.Description)
		}
	}
	for _, f := range fs {
		if strings.Contains(f.Message+fixText(f), "course-2026") {
			t.Errorf("the password is shown: %+v", f)
		}
	}
}

func fixText(f jsonFinding) string {
	if f.Fix == nil {
		return ""
	}
	return f.Fix.Description
}

// fixFinding is the part of a JSON finding TestFixesResolve reads.
type fixFinding struct {
	RuleID   string `json:"rule_id"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Location struct {
		Subject string `json:"subject"`
	} `json:"location"`
	Fix *struct {
		Description string `json:"description"`
		Edits       []struct {
			File       string `json:"file"`
			Start, End int
			New        string `json:"new"`
		} `json:"edits"`
		Commands []string `json:"commands"`
	} `json:"fix"`
	Evidence []struct {
		RuleID string `json:"rule_id"`
	} `json:"evidence"`
}

// fires reports whether f is rule's finding, or holds it as evidence (a
// log finding joined to the config finding for the same option).
func (f fixFinding) fires(rule string) bool {
	if f.RuleID == rule {
		return true
	}
	for _, e := range f.Evidence {
		if e.RuleID == rule {
			return true
		}
	}
	return false
}

// fixAudit runs the audit of dir with args and returns its findings.
func fixAudit(t *testing.T, dir string, args []string) []fixFinding {
	t.Helper()
	all := append([]string{"--dir", dir, "--format", "json"}, args...)
	for i, a := range all {
		all[i] = strings.ReplaceAll(a, "DIR", dir)
	}
	code, out, errs := hubaudit(t, nil, all...)
	var rep struct {
		Findings []fixFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("exit %d, not JSON: %v\n%s\n%s", code, err, out, errs)
	}
	return rep.Findings
}

// hubReqs is a hub environment (a pip freeze export) that meets 5.5.1's
// requirements, so that the cases do not depend on the machine's Python.
const hubReqs = "jupyterhub==4.1.6\nalembic==1.13.1\nSQLAlchemy==2.0.30\ntornado==6.4.1\ntraitlets==5.14.3\npamela==1.1.0\ncertipy==0.1.3\nasync-generator==1.10\noauthlib==3.2.2\nprometheus-client==0.20.0\npython-dateutil==2.9.0.post0\nrequests==2.32.3\njinja2==3.1.4\npackaging==24.0\n"

// TestFixesResolve is issue 11's "every fix is checked against what it
// would do": for each rule with a fix, the triggering deployment is
// audited, the fix is applied (the edits the finding carries, or, where
// the fix is advice for a person, the config change it describes, written
// out below; the printed hubaudit and chmod commands, run as printed), and
// the audit runs again: the rule no longer fires and no error appears that
// was not there before. Log rules get the log of the hub restarted with
// the fixed config. Rules whose fix is advice with nothing to apply (a
// caveat such as HUB209, or an upgrade step such as HUB201's upgrade-db,
// which needs the target JupyterHub installed) are not in the table.
func TestFixesResolve(t *testing.T) {
	const pre = "c = get_config()\n"
	for _, c := range []struct {
		name, rule string
		files      map[string]string // the triggering deployment
		args       []string          // besides --dir; DIR is the deployment
		// fixed replaces files after the audit; nil: apply the edits of the
		// rule's findings.
		fixed map[string]string
		// fixHas is what the fix must say (the change written in fixed).
		fixHas []string
		// run: the fix's commands are run as printed, in DIR (hubaudit's
		// in this process, chmod with sh).
		run bool
		// apply, when set, makes the change by code (stopping servers in
		// the database).
		apply func(t *testing.T, dir string)
	}{
		{name: "unknown option, edits", rule: "HUB101",
			files: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.JupyterHub.cookie_max_age_dayz = 7\n"}},
		{name: "deprecated option, edits", rule: "HUB102",
			files: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.whitelist = {'alice'}\n"}},
		{name: "DummyAuthenticator.password, the whole change", rule: "HUB102",
			files: map[string]string{"jupyterhub_config.py": pre + "c.JupyterHub.authenticator_class = 'dummy'\nc.DummyAuthenticator.password = 'course-2026'\nc.Authenticator.admin_users = {'root'}\n"},
			fixed: map[string]string{"jupyterhub_config.py": pre + "c.JupyterHub.authenticator_class = 'shared-password'\nc.SharedPasswordAuthenticator.user_password = 'course-2026'\n" +
				"c.SharedPasswordAuthenticator.admin_password = 'an-admin-password-of-32-characters'\nc.Authenticator.admin_users = {'root'}\nc.Authenticator.allow_all = True\n"},
			fixHas: []string{`authenticator_class = "shared-password"`, "user_password", "admin_password (at least 32 characters", "allow_all = True"}},
		{name: "removed option, edits", rule: "HUB103",
			files: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.HubAuth.oauth_scopes = {'access:services'}\n"}},
		{name: "removed option without successor, removed", rule: "HUB103",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.HubAuth.cookie_name = 'x'\n"},
			fixed:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\n"},
			fixHas: []string{"remove the setting"}},
		{name: "ignored option, edits", rule: "HUB104",
			files: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.Authenticator.blacklist = {'mallory'}\n"}},
		{name: "no allow config with PAM", rule: "HUB110",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.admin_users = {'root'}\n"},
			fixed:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.admin_users = {'root'}\nc.Authenticator.allowed_users = {'alice', 'bob'}\n"},
			fixHas: []string{"c.Authenticator.allowed_users = {...}", "allow_all = True instead admits every user with a login on the hub machine"}},
		{name: "no allow config with GitHub", rule: "HUB110",
			files: map[string]string{"jupyterhub_config.py": pre + "c.JupyterHub.authenticator_class = 'github'\nc.Authenticator.admin_users = {'alice'}\n",
				"hub.txt": hubReqs + "oauthenticator==16.3.1\n"},
			args:   []string{"--hub-env", "DIR/hub.txt"},
			fixed:  map[string]string{"jupyterhub_config.py": pre + "c.JupyterHub.authenticator_class = 'github'\nc.Authenticator.admin_users = {'alice'}\nc.GitHubOAuthenticator.allowed_organizations = {'ds101-course'}\n"},
			fixHas: []string{"c.GitHubOAuthenticator.allowed_organizations = {...}", "allow_all = True instead admits every GitHub account"}},
		{name: "tokens in URLs", rule: "HUB111",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\n"},
			fixed:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.Spawner.environment = {'JUPYTERHUB_ALLOW_TOKEN_IN_URL': '1'}\n"},
			fixHas: []string{"c.Spawner.environment = {'JUPYTERHUB_ALLOW_TOKEN_IN_URL': '1'}"}},
		{name: "subdomain scheme", rule: "HUB112",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.JupyterHub.subdomain_host = 'https://hub.example.org'\n"},
			fixed:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.JupyterHub.subdomain_host = 'https://hub.example.org'\nc.JupyterHub.subdomain_hook = 'legacy'\n"},
			fixHas: []string{`c.JupyterHub.subdomain_hook = "legacy"`}},
		{name: "a password the validator refuses", rule: "HUB117",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.JupyterHub.authenticator_class = 'shared-password'\nc.Authenticator.allow_all = True\nc.SharedPasswordAuthenticator.user_password = 'short'\n"},
			fixed:  map[string]string{"jupyterhub_config.py": pre + "c.JupyterHub.authenticator_class = 'shared-password'\nc.Authenticator.allow_all = True\nc.SharedPasswordAuthenticator.user_password = 'longer-than-8'\n"},
			fixHas: []string{"at least 8 characters"}},
		{name: "single-user image", rule: "HUB116",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.JupyterHub.spawner_class = 'docker'\nc.DockerSpawner.image = 'quay.io/jupyterhub/singleuser:4.1.6'\n"},
			fixed:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.JupyterHub.spawner_class = 'docker'\nc.DockerSpawner.image = 'quay.io/jupyterhub/singleuser:5.5.1'\n"},
			fixHas: []string{"quay.io/jupyterhub/singleuser:5.5.1"}},
		// The environment rules: the package lists stand for the images
		// they were exported from; the fix installs into them.
		{name: "spawner package missing", rule: "HUB307",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.JupyterHub.spawner_class = 'dockerspawner.DockerSpawner'\n"},
			fixed:  map[string]string{"hub.txt": hubReqs + "dockerspawner==13.0.0\n"},
			fixHas: []string{"install dockerspawner"}},
		{name: "spawner command missing", rule: "HUB311",
			files: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.Spawner.cmd = ['jupyter-labhub']\n",
				"user.txt": "jupyterhub==4.1.6\njupyter-server==2.14.1\n"},
			args:   []string{"--user-env", "DIR/user.txt"},
			fixed:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.Spawner.cmd = ['jupyterhub-singleuser']\n"},
			fixHas: []string{`c.Spawner.cmd = ["jupyterhub-singleuser"]`}},
		{name: "no single-user server", rule: "HUB309",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\n", "user.txt": "jupyterhub==4.1.6\n"},
			args:   []string{"--user-env", "DIR/user.txt"},
			fixed:  map[string]string{"user.txt": "jupyterhub==4.1.6\njupyter-server==2.14.1\n"},
			fixHas: []string{"install jupyter-server"}},
		{name: "single-user version", rule: "HUB302",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\n", "user.txt": "jupyterhub==4.0.2\njupyter-server==2.14.1\n"},
			args:   []string{"--user-env", "DIR/user.txt"},
			fixed:  map[string]string{"user.txt": "jupyterhub==4.1.6\njupyter-server==2.14.1\n"},
			fixHas: []string{"install jupyterhub==4.1.6"}},
		{name: "a requirement of the target", rule: "HUB306",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\n", "hub.txt": strings.Replace(hubReqs, "pamela==1.1.0", "pamela==1.0.0", 1)},
			args:   []string{"--hub-env", "DIR/hub.txt"},
			fixed:  map[string]string{"hub.txt": hubReqs},
			fixHas: []string{"pamela>=1.1.0"}},
		{name: "user environment behind the target", rule: "HUB303",
			files:  map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\n", "user.txt": "jupyterhub==4.1.6\njupyter-server==2.14.1\n"},
			args:   []string{"--user-env", "DIR/user.txt"},
			fixed:  map[string]string{"user.txt": "jupyterhub==5.5.1\njupyter-server==2.14.1\n"},
			fixHas: []string{"jupyterhub==5.5.1"}},
		// The log rules: after the config change the restarted hub's log
		// no longer has the warning (the log of that start is written out).
		{name: "the hub warned about an unknown option", rule: "HUB404",
			files: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\n",
				"hub.log": "[W 2026-11-25 07:59:58.100 JupyterHub configurable:214] Config option `cookie_max_age_dayz` not recognized by `JupyterHub`.  Did you mean `cookie_max_age_days`?\n" +
					"[I 2026-11-25 07:59:58.110 JupyterHub app:2885] Running JupyterHub version 4.1.6\n"},
			args:   []string{"--log", "DIR/hub.log"},
			fixed:  map[string]string{"hub.log": "[I 2026-11-25 09:00:00.110 JupyterHub app:2885] Running JupyterHub version 4.1.6\n"},
			fixHas: []string{"correct or remove c.JupyterHub.cookie_max_age_dayz"}},
		{name: "the hub warned about a deprecated option", rule: "HUB405",
			files: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.JupyterHub.spawner_class = 'docker'\nc.DockerSpawner.container_image = 'quay.io/jupyterhub/singleuser:4.1.6'\n",
				"hub.txt": hubReqs + "dockerspawner==12.1.0\n",
				"hub.log": "[I 2026-11-25 07:59:58.110 JupyterHub app:2885] Running JupyterHub version 4.1.6\n" +
					"[W 2026-11-25 08:27:41.119 JupyterHub dockerspawner:92] DockerSpawner.container_image is deprecated in DockerSpawner 0.9.*, use DockerSpawner.image instead\n"},
			args: []string{"--log", "DIR/hub.log", "--hub-env", "DIR/hub.txt"},
			fixed: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\nc.JupyterHub.spawner_class = 'docker'\nc.DockerSpawner.image = 'quay.io/jupyterhub/singleuser:5.5.1'\n",
				"hub.log": "[I 2026-11-25 09:00:00.110 JupyterHub app:2885] Running JupyterHub version 4.1.6\n"},
			fixHas: []string{"DockerSpawner.image"}},
		// The database rules: the printed commands run as printed.
		{name: "sqlite file not writable", rule: "HUB207",
			files: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\n", "jupyterhub.sqlite": "@../../examples/demo/jupyterhub.sqlite"},
			run:   true, fixHas: []string{"chmod u+w"}},
		{name: "servers running", rule: "HUB212",
			files: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\n", "jupyterhub.sqlite": "@../../examples/demo/jupyterhub.sqlite"},
			apply: func(t *testing.T, dir string) {
				// The servers stopped: the hub clears their server rows.
				db, err := sql.Open("sqlite", filepath.Join(dir, "jupyterhub.sqlite"))
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if _, err := db.Exec("UPDATE spawners SET server_id = NULL; DELETE FROM servers"); err != nil {
					t.Fatal(err)
				}
			}, fixHas: []string{"stop the servers"}},
		// The database rules: the backup command runs as printed.
		{name: "no backup", rule: "HUB205",
			files: map[string]string{"jupyterhub_config.py": pre + "c.Authenticator.allow_all = True\n", "jupyterhub.sqlite": "@../../examples/demo/jupyterhub.sqlite"},
			run:   true, fixHas: []string{"verified copy"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			for name, text := range c.files {
				if src, ok := strings.CutPrefix(text, "@"); ok {
					b, err := os.ReadFile(src)
					if err != nil {
						t.Fatal(err)
					}
					text = string(b)
				}
				files[name] = text
			}
			dir := deployment(t, files)
			args := append([]string{"pre", "--target", "5.5.1"}, c.args...)
			if _, ok := c.files["hub.txt"]; !ok {
				if err := os.WriteFile(filepath.Join(dir, "hub.txt"), []byte(hubReqs), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--hub-env", "DIR/hub.txt")
			}
			if c.rule == "HUB207" {
				if err := os.Chmod(filepath.Join(dir, "jupyterhub.sqlite"), 0o444); err != nil {
					t.Fatal(err)
				}
			}
			before := fixAudit(t, dir, args)
			var hits []fixFinding
			errorsBefore := map[string]bool{}
			for _, f := range before {
				if f.fires(c.rule) {
					hits = append(hits, f)
				}
				if f.Severity == "error" {
					errorsBefore[f.RuleID+" "+f.Location.Subject] = true
				}
			}
			if len(hits) == 0 || hits[0].Fix == nil {
				t.Fatalf("%s does not fire with a fix: %+v", c.rule, before)
			}
			said := hits[0].Fix.Description + "\n" + strings.Join(hits[0].Fix.Commands, "\n")
			for _, want := range c.fixHas {
				if !strings.Contains(said, want) {
					t.Errorf("the fix does not say %q: %s", want, said)
				}
			}
			if c.run {
				t.Chdir(dir)
				ran := 0
				for _, cmd := range hits[0].Fix.Commands {
					f := strings.Fields(cmd)
					switch {
					case len(f) > 1 && f[0] == "hubaudit":
						if code, out, errs := hubaudit(t, nil, f[1:]...); code != 0 {
							t.Fatalf("%s: exit %d\n%s%s", cmd, code, out, errs)
						}
						ran++
					case len(f) > 1 && f[0] == "chmod":
						if out, err := exec.Command("sh", "-c", cmd).CombinedOutput(); err != nil {
							t.Fatalf("%s: %v\n%s", cmd, err, out)
						}
						ran++
					}
				}
				if ran == 0 {
					t.Fatalf("no hubaudit command in %+v", hits[0].Fix)
				}
			} else if c.apply != nil {
				c.apply(t, dir)
			} else if c.fixed != nil {
				for name, text := range c.fixed {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			} else {
				applyEdits(t, hits)
			}
			after := fixAudit(t, dir, args)
			for _, f := range after {
				if f.fires(c.rule) {
					t.Errorf("%s still fires after its fix: %s", c.rule, f.Message)
				}
				if f.Severity == "error" && !errorsBefore[f.RuleID+" "+f.Location.Subject] {
					t.Errorf("the fix of %s brings a new error: %s %s", c.rule, f.RuleID, f.Message)
				}
			}
		})
	}
}

// applyEdits applies the text edits of findings, back to front per file.
func applyEdits(t *testing.T, fs []fixFinding) {
	t.Helper()
	type edit struct {
		start, end int
		text       string
	}
	byFile := map[string][]edit{}
	for _, f := range fs {
		if f.Fix == nil || len(f.Fix.Edits) == 0 {
			t.Fatalf("%s carries no edits: %+v", f.RuleID, f.Fix)
		}
		for _, e := range f.Fix.Edits {
			byFile[e.File] = append(byFile[e.File], edit{e.Start, e.End, e.New})
		}
	}
	for file, es := range byFile {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(es, func(i, j int) bool { return es[i].start > es[j].start })
		for _, e := range es {
			b = append(append(append([]byte{}, b[:e.start]...), e.text...), b[e.end:]...)
		}
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNoAllowConfigLogAdvice: the hub's own "No allow config found" line
// suggests allow_all = True; HUB406's fix, with the config read, names the
// narrow options of the authenticator in use and what allow_all admits.
func TestNoAllowConfigLogAdvice(t *testing.T) {
	dir := deployment(t, map[string]string{
		"jupyterhub_config.py": "c = get_config()\nc.JupyterHub.authenticator_class = 'github'\n",
		"hub.txt":              "jupyterhub==5.5.1\noauthenticator==16.3.1\n",
		"hub.log": "[I 2024-05-29 16:27:50.101 JupyterHub app:3374] Running JupyterHub version 5.5.1\n" +
			"[W 2024-05-29 16:27:50.300 JupyterHub auth:1502] No allow config found, it's possible that nobody can login to your Hub!\n" +
			"    You can set `c.Authenticator.allow_all = True` to allow any user who can login to access the Hub,\n" +
			"    or e.g. `allowed_users` to a set of users who should have access.\n" +
			"    You may suppress this warning by setting c.Authenticator.any_allow_config = True.\n",
	})
	fs := fixAudit(t, dir, []string{"post", "--target", "5.5.1", "--hub-env", filepath.Join(dir, "hub.txt"), "--log", filepath.Join(dir, "hub.log")})
	var got []string
	for _, f := range fs {
		if f.fires("HUB406") && f.Fix != nil {
			got = append(got, f.Fix.Description)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "c.GitHubOAuthenticator.allowed_organizations = {...}") ||
		!strings.Contains(got[0], "allow_all = True instead admits every GitHub account") {
		t.Errorf("HUB406 fixes: %q", got)
	}
}

// TestDemoFixConfigClears: the demo's one error (c.Authenticator.blacklist,
// which blocks nobody) and its deprecated options are gone after
// `hubaudit fix-config --write`, and the rewrite brings no error.
func TestDemoFixConfigClears(t *testing.T) {
	dir := copyDemo(t)
	if code, _, errs := hubaudit(t, nil, "fix-config", "--target", "5.5.1", "--dir", dir, "--write"); code != 0 {
		t.Fatalf("fix-config: exit %d: %s", code, errs)
	}
	code, out, errs := hubaudit(t, nil, "pre", "--target", "5.5.1", "--dir", dir, "--checks", "all,-HUB4*", "--format", "json")
	r := decode(t, out)
	if code != 0 {
		t.Errorf("exit %d after fix-config: %s", code, errs)
	}
	for _, f := range r.Findings {
		if f.Severity == "error" || f.RuleID == "HUB104" ||
			f.RuleID == "HUB102" && f.Location.Subject != "trait:JupyterHub.admin_access" {
			t.Errorf("after fix-config: %s %s", f.RuleID, f.Message)
		}
	}
}
