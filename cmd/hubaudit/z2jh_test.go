package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// z2jhDeployment lays out examples/z2jh in a temporary folder: its
// values.yaml (a chart 3.3.8 release's) and a SQLite database built from
// JupyterHub 4.1.6's real schema and examples/z2jh/rows.sql, whose users
// include Alice.Smith@example.org.
func z2jhDeployment(t *testing.T, values string) string {
	t.Helper()
	dir := t.TempDir()
	ex := filepath.Join("..", "..", "examples", "z2jh")
	if values == "" {
		b, err := os.ReadFile(filepath.Join(ex, "values.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		values = string(b)
	}
	if err := os.WriteFile(filepath.Join(dir, "values.yaml"), []byte(values), 0o644); err != nil {
		t.Fatal(err)
	}
	var script []byte
	for _, p := range []string{filepath.Join("..", "..", "kb", "facts", "schema", "jupyterhub-4.1.6.sqlite.sql"), filepath.Join(ex, "rows.sql")} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		script = append(append(script, b...), '\n')
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "jupyterhub.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(string(script)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	return dir
}

type z2jhFinding struct {
	RuleID   string `json:"rule_id"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Location struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Subject string `json:"subject"`
	} `json:"location"`
}

func z2jhRun(t *testing.T, dir string, args ...string) (map[string]any, []z2jhFinding) {
	t.Helper()
	_, out, errs := hubaudit(t, nil, append([]string{"pre", "--dir", dir, "--config", filepath.Join(dir, "values.yaml"), "--format", "json"}, args...)...)
	var rep map[string]any
	var fs struct {
		Findings []z2jhFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, errs)
	}
	json.Unmarshal([]byte(out), &fs)
	return rep, fs.Findings
}

// TestZ2JHChartTarget is the acceptance: pre --target chart:4.0.0
// on a 3.3.8 values file reports JupyterHub 4.1.6 -> 5.2.1 with the
// chart's pinned KubeSpawner 7, and the slug rule names
// Alice.Smith@example.org and the subPath fields.
func TestZ2JHChartTarget(t *testing.T) {
	dir := z2jhDeployment(t, "")
	rep, fs := z2jhRun(t, dir, "--target", "chart:4.0.0", "--chart-version", "3.3.8")
	if rep["current_version"] != "4.1.6" || rep["target_version"] != "5.2.1" {
		t.Errorf("current %v target %v, want 4.1.6 -> 5.2.1", rep["current_version"], rep["target_version"])
	}
	slugs := map[string]z2jhFinding{}
	upgrade := ""
	for _, f := range fs {
		switch f.RuleID {
		case "HUB520":
			slugs[f.Location.Subject] = f
		case "HUB521":
			upgrade = f.Message
		case "HUB501":
			t.Errorf("HUB501 on the target chart's hub image: %s", f.Message)
		}
	}
	if !strings.Contains(upgrade, "jupyterhub 4.1.6 -> 5.2.1") || !strings.Contains(upgrade, "jupyterhub-kubespawner 6.2.0 -> 7.0.0") {
		t.Errorf("HUB521: %q", upgrade)
	}
	for subject, line := range map[string]int{"slug:singleuser.storage.static.subPath": 19, "slug:singleuser.storage.extraVolumeMounts[0].subPath": 24} {
		f, ok := slugs[subject]
		if !ok {
			t.Errorf("no HUB520 for %s (have %v)", subject, slugs)
			continue
		}
		if f.Severity != "error" || f.Location.Line != line || !strings.Contains(f.Message, `Alice.Smith@example.org: "`) ||
			!strings.Contains(f.Message, "alice-smith-example-org---323a0b32") || !strings.Contains(f.Message, "2 of 4 users") || strings.Contains(f.Message, "carol") {
			t.Errorf("%s: %+v", subject, f)
		}
	}
	if f := slugs["slug:singleuser.extraEnv.SCRATCH_DIR"]; f.Severity != "warning" {
		t.Errorf("extraEnv: %+v", f)
	}
	// Without the database the rule cannot name users: a warning per field.
	os.Remove(filepath.Join(dir, "jupyterhub.sqlite"))
	_, fs = z2jhRun(t, dir, "--target", "chart:4.0.0", "--chart-version", "3.3.8")
	n := 0
	for _, f := range fs {
		if f.RuleID == "HUB520" {
			n++
			if f.Severity != "warning" || !strings.Contains(f.Message, "give --db") {
				t.Errorf("no-db HUB520: %+v", f)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d HUB520 findings without the database, want 3", n)
	}
}

// TestZ2JHSlugSchemeSet: with slug_scheme set, or a target before
// KubeSpawner 7, the rule has nothing to say.
func TestZ2JHSlugSchemeSet(t *testing.T) {
	b, _ := os.ReadFile(filepath.Join("..", "..", "examples", "z2jh", "values.yaml"))
	escaped := strings.Replace(string(b), "    JupyterHub:\n", "    KubeSpawner:\n      slug_scheme: escape\n    JupyterHub:\n", 1)
	for name, tc := range map[string]struct{ values, target string }{
		"escape":    {escaped, "chart:4.0.0"},
		"before 7":  {"", "chart:3.3.8"},
		"plain 5.2": {"", "5.2.1"},
	} {
		_, fs := z2jhRun(t, z2jhDeployment(t, tc.values), "--target", tc.target, "--chart-version", "3.3.8")
		for _, f := range fs {
			if f.RuleID == "HUB520" {
				t.Errorf("%s: %s", name, f.Message)
			}
		}
	}
}

// TestZ2JHSchemaKeys checks values keys against the target chart's
// values.schema.yaml, in an umbrella chart's values two parent keys deep.
func TestZ2JHSchemaKeys(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "checks", "config", "testdata", "z2jh", "basehub.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, fs := z2jhRun(t, z2jhDeployment(t, string(b)), "--target", "chart:4.4.0", "--chart-version", "3.3.8")
	var got []string
	for _, f := range fs {
		if f.RuleID == "HUB140" {
			got = append(got, f.Location.Subject)
			if f.Location.Line != 18 || !strings.Contains(f.Message, "did you mean basehub.jupyterhub.singleuser.image?") || f.Severity != "error" {
				t.Errorf("HUB140: %+v", f)
			}
		}
	}
	if strings.Join(got, ",") != "chart-key:basehub.jupyterhub.singleuser.imagee" {
		t.Errorf("HUB140 subjects %v", got)
	}
}

// TestZ2JHGolden compares the report of the acceptance run with golden
// files in table, JSON and Markdown.
func TestZ2JHGolden(t *testing.T) {
	goldenDir, _ := filepath.Abs("testdata")
	dir := z2jhDeployment(t, "")
	t.Chdir(dir) // relative paths: the table's widths do not depend on the temporary folder
	for _, format := range []string{"table", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			// HUB205 names the database by its absolute path, whose length
			// (the temporary folder's) would change the table's wrapping.
			_, out, _ := hubaudit(t, nil, "pre", "--target", "chart:4.0.0", "--chart-version", "3.3.8", "--config", "values.yaml", "--checks", "all,-HUB205", "--format", format)
			checkGolden(t, filepath.Join(goldenDir, "z2jh-pre."+format+".golden"), normalize(strings.ReplaceAll(out, dir, "<z2jh>")), "")
		})
	}
}

// TestZ2JHChartOwnValues runs on the chart's own values.yaml at several
// release tags, read from a checkout of zero-to-jupyterhub-k8s named by
// $HUBAUDIT_Z2JH_REPO (a maintainer check: the repository is not
// vendored): every key the chart's own values set is one its schema
// takes, and the computed values (the tag chartpress sets) name the
// installed chart.
func TestZ2JHChartOwnValues(t *testing.T) {
	repo := os.Getenv("HUBAUDIT_Z2JH_REPO")
	if repo == "" {
		t.Skip("SKIP: set HUBAUDIT_Z2JH_REPO to a checkout of jupyterhub/zero-to-jupyterhub-k8s")
	}
	for _, tag := range []string{"3.0.0", "3.3.8", "4.0.0", "4.3.0", "4.4.0"} {
		b, err := exec.Command("git", "-C", repo, "show", tag+":jupyterhub/values.yaml").Output()
		if err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		computed := strings.ReplaceAll(string(b), `"set-by-chartpress"`, `"`+tag+`"`)
		dir := z2jhDeployment(t, computed)
		os.Remove(filepath.Join(dir, "jupyterhub.sqlite")) // the version comes from the chart alone
		rep, fs := z2jhRun(t, dir, "--target", "chart:"+tag)
		for _, f := range fs {
			if f.RuleID == "HUB140" {
				t.Errorf("%s: %s", tag, f.Message)
			}
		}
		if rep["current_version"] != rep["target_version"] {
			t.Errorf("%s: current %v, target %v: the hub image names the chart", tag, rep["current_version"], rep["target_version"])
		}
	}
}

// TestZ2JHSlugConfigFields: templated traits set in hub.config, in
// hub.extraConfig Python and in profile_list overrides are found too.
func TestZ2JHSlugConfigFields(t *testing.T) {
	values := `hub:
  config:
    KubeSpawner:
      volume_mounts:
        - name: home
          mountPath: /home/jovyan
          subPath: "{username}"
      profile_list:
        - display_name: GPU
          kubespawner_override:
            working_dir: "/work/{username}"
  extraConfig:
    10-labels: |
      c.KubeSpawner.environment = {"HOME_ID": "{username}"}
singleuser:
  storage:
    type: none
`
	_, fs := z2jhRun(t, z2jhDeployment(t, values), "--target", "chart:4.4.0", "--chart-version", "3.3.8")
	got := map[string]string{}
	for _, f := range fs {
		if f.RuleID == "HUB520" {
			got[f.Location.Subject] = f.Severity
		}
	}
	want := map[string]string{
		"slug:hub.config.KubeSpawner.volume_mounts[0].subPath":                         "error",
		"slug:hub.config.KubeSpawner.profile_list[0].kubespawner_override.working_dir": "error",
		"slug:c.KubeSpawner.environment.HOME_ID":                                       "warning",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("HUB520 fields %v, want %v", got, want)
	}
}

// z2jhPlanCommands returns the plan's steps by id, each its title and
// commands, from a JSON report.
func z2jhPlanCommands(t *testing.T, rep map[string]any) map[string]string {
	t.Helper()
	plan, _ := rep["plan"].(map[string]any)
	steps, _ := plan["steps"].([]any)
	out := map[string]string{}
	for _, s := range steps {
		m := s.(map[string]any)
		var b strings.Builder
		fmt.Fprintf(&b, "%v\n%v\n", m["title"], m["detail"])
		cmds, _ := m["commands"].([]any)
		for _, c := range cmds {
			fmt.Fprintf(&b, "%v\n", c)
		}
		out[fmt.Sprint(m["id"])] = b.String()
	}
	if len(out) == 0 {
		t.Fatalf("no plan steps in %v", rep["plan"])
	}
	return out
}

// TestZ2JHPlanFromDir: a folder collected by the README's recipe (values
// file, helm list output, database) is audited with --dir alone: the
// values file makes it a z2jh deployment, helm list names the release and
// namespace the commands use, and the backup step takes the database out
// of the hub-db-dir volume with kubectl.
func TestZ2JHPlanFromDir(t *testing.T) {
	dir := z2jhDeployment(t, "")
	if err := os.WriteFile(filepath.Join(dir, "helm-list.json"), []byte(`[{"name":"jhub","namespace":"hubs","chart":"jupyterhub-3.3.8","app_version":"4.1.6"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, errs := hubaudit(t, nil, "pre", "--dir", dir, "--target", "chart:4.0.0", "--chart-version", filepath.Join(dir, "helm-list.json"), "--format", "json")
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, errs)
	}
	facts, _ := rep["facts"].(map[string]any)
	dep, _ := facts["deployment"].(map[string]any)
	if dep["kind"] != "z2jh" || !strings.Contains(fmt.Sprint(dep["evidence"]), "values.yaml: a Zero to JupyterHub values file") {
		t.Errorf("deployment %v %v", dep["kind"], dep["evidence"])
	}
	steps := z2jhPlanCommands(t, rep)
	// The commands run where the audit ran: the copy goes to the
	// database the audit read, and every hubaudit command names the
	// audit's inputs.
	copyOut := `kubectl -n hubs cp -c hub "$(kubectl -n hubs get pod -l component=hub,release=jhub -o jsonpath='{.items[0].metadata.name}'):/srv/jupyterhub/jupyterhub.sqlite.hubaudit-copy" ` + dir + "/jupyterhub.sqlite"
	for id, want := range map[string][]string{
		"backup": {
			`kubectl -n hubs exec deploy/hub -c hub -- python3 -c "import sqlite3; d = sqlite3.connect('/srv/jupyterhub/jupyterhub.sqlite.hubaudit-copy'); sqlite3.connect('/srv/jupyterhub/jupyterhub.sqlite').backup(d); d.close()"`,
			copyOut + "\n",
			"kubectl -n hubs exec deploy/hub -c hub -- rm /srv/jupyterhub/jupyterhub.sqlite.hubaudit-copy",
			"hubaudit backup --db sqlite:///" + dir + "/jupyterhub.sqlite --config " + dir + "/values.yaml --to ./hubaudit-backup",
			"hubaudit pre --target chart:4.0.0 --dir " + dir + " --chart-version " + dir + "/helm-list.json --snapshot hubaudit-pre.json",
		},
		"packages":   {"helm upgrade jhub jupyterhub/jupyterhub -n hubs --version 4.0.0 -f " + dir + "/values.yaml\n"},
		"upgrade-db": {"The hub upgrades the database schema itself when it restarts", "hub.db.type sqlite-pvc with hub.db.upgrade unset"},
		// post reads the upgraded database and release: copied and
		// listed again first.
		"start": {"kubectl -n hubs rollout status deploy/hub", copyOut + "   # the upgraded database, for post\n",
			"helm list -n hubs -o json > " + dir + "/helm-list.json   # as the upgraded deployment has it, for post\n",
			"kubectl -n hubs logs deploy/hub -c hub --since=1h | hubaudit post --target 5.2.1 --baseline hubaudit-pre.json --hub-url http://127.0.0.1:8081/hub/ --dir " + dir + " --chart-version " + dir + "/helm-list.json --log -\n"},
	} {
		for _, w := range want {
			if !strings.Contains(steps[id], w) {
				t.Errorf("%s step has no %q:\n%s", id, w, steps[id])
			}
		}
	}
	if _, ok := steps["stop"]; ok {
		t.Errorf("a stop step: %s", steps["stop"])
	}
}

// TestZ2JHPlanDBUpgrade: where the chart does not run --upgrade-db (an
// external database, or hub.db.upgrade: false), the helm upgrade sets
// hub.db.upgrade=true and the backup is the dialect's own (no kubectl cp).
func TestZ2JHPlanDBUpgrade(t *testing.T) {
	b, _ := os.ReadFile(filepath.Join("..", "..", "examples", "z2jh", "values.yaml"))
	for name, tc := range map[string]struct{ values, why string }{
		"upgrade false": {strings.Replace(string(b), "hub:\n", "hub:\n  db:\n    upgrade: false\n", 1), "hub.db.type is sqlite-pvc and hub.db.upgrade false"},
		"postgres":      {strings.Replace(string(b), "hub:\n", "hub:\n  db:\n    type: postgres\n    url: postgresql://hub@127.0.0.1:1/jupyterhub\n", 1), "hub.db.type is postgres"},
	} {
		dir := z2jhDeployment(t, tc.values)
		rep, _ := z2jhRun(t, dir, "--target", "chart:4.0.0", "--chart-version", "3.3.8")
		steps := z2jhPlanCommands(t, rep)
		if !strings.Contains(steps["packages"], "--version 4.0.0 -f "+dir+"/values.yaml --set hub.db.upgrade=true") {
			t.Errorf("%s: %s", name, steps["packages"])
		}
		if s := steps["upgrade-db"]; s != "" && (!strings.Contains(s, "--set hub.db.upgrade=true on the helm upgrade") || !strings.Contains(s, tc.why)) {
			t.Errorf("%s: %s", name, s)
		}
		if name == "postgres" && strings.Contains(steps["backup"], "kubectl") || name != "postgres" && !strings.Contains(steps["backup"], "kubectl") {
			t.Errorf("%s: %s", name, steps["backup"])
		}
	}
}

// TestZ2JHCurrentFromSampleImage: with no --chart-version, values that pin
// the chart's own single-user sample image (3.3.8) name the installed
// chart, so the acceptance run still reports 4.1.6 -> 5.2.1 and the
// KubeSpawner 7 change, saying where the version came from.
func TestZ2JHCurrentFromSampleImage(t *testing.T) {
	dir := z2jhDeployment(t, "")
	rep, fs := z2jhRun(t, dir, "--target", "chart:4.0.0")
	if rep["current_version"] != "4.1.6" || rep["target_version"] != "5.2.1" {
		t.Errorf("current %v (%v) target %v", rep["current_version"], rep["current_version_from"], rep["target_version"])
	}
	// The database's revision spans 4.0.0-4.1.6; without it the chart
	// decides.
	os.Remove(filepath.Join(dir, "jupyterhub.sqlite"))
	if rep, _ := z2jhRun(t, dir, "--target", "chart:4.0.0"); rep["current_version"] != "4.1.6" ||
		!strings.Contains(fmt.Sprint(rep["current_version_from"]), "chart 3.3.8, from singleuser.image quay.io/jupyterhub/k8s-singleuser-sample:3.3.8 in") {
		t.Errorf("without the database: current %v (%v)", rep["current_version"], rep["current_version_from"])
	}
	n := 0
	for _, f := range fs {
		if f.RuleID == "HUB521" && !strings.Contains(f.Message, "jupyterhub-kubespawner 6.2.0 -> 7.0.0") {
			t.Errorf("HUB521: %s", f.Message)
		}
		if f.RuleID == "HUB520" && strings.Contains(f.Message, "Alice.Smith@example.org") {
			n++
		}
	}
	if n != 3 { // the two subPath mounts and extraEnv
		t.Errorf("%d HUB520 findings name Alice.Smith@example.org, want 3", n)
	}
}

// TestZ2JHPlainTarget: a JupyterHub release as --target on a Zero to
// JupyterHub deployment is not silently taken for a chart release: HUB521
// names the charts that ship it and what the number means as a chart, and
// the helm upgrade takes the newest chart that ships it.
func TestZ2JHPlainTarget(t *testing.T) {
	dir := z2jhDeployment(t, "")
	for target, want := range map[string][2]string{
		"5.2.1": {"--target 5.2.1 names a JupyterHub release; a Zero to JupyterHub deployment upgrades to a chart release: jupyterhub 5.2.1 is in the hub image of chart 4.0.0, 4.1.0",
			"--version 4.1.0 -f " + dir + "/values.yaml"},
		"4.0.0": {"no chart release's hub image pins jupyterhub 4.0.0; chart 4.0.0, if that is what was meant, ships jupyterhub 5.2.1 (--target chart:4.0.0)",
			"--version CHART -f " + dir + "/values.yaml"},
	} {
		rep, fs := z2jhRun(t, dir, "--target", target, "--chart-version", "3.3.8")
		note := ""
		for _, f := range fs {
			if f.RuleID == "HUB521" {
				note = f.Message
			}
		}
		if !strings.Contains(note, want[0]) {
			t.Errorf("%s: HUB521 %q", target, note)
		}
		if steps := z2jhPlanCommands(t, rep); !strings.Contains(steps["packages"], want[1]) {
			t.Errorf("%s: %s", target, steps["packages"])
		}
	}
}
