package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestKindGolden audits, besides the plain kinds (a virtualenv, a conda
// environment, a distribution-managed Python, another prefix), a TLJH tree (TLJH's own jupyterhub_config.py and a
// config.yaml as its docs write one) and a docker compose deployment (after
// jupyterhub-deploy-docker) in every plan format: TLJH gets no HUB105 or
// HUB307 and a plan with TLJH's installer; compose gets the container's
// environment (the Dockerfile's pin, the compose environment's image) and
// an image rebuild.
// paddingRuns are runs of spaces or of a table's horizontal rule.
var paddingRuns = regexp.MustCompile(`  +|──+`)

func TestKindGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{"tljh", []string{"--dir", "testdata/tljh", "--hub-env", "testdata/tljh/hub-freeze.txt"},
			[]string{"tljh.jupyter.org/bootstrap.py | sudo python3 - --version=2.0.0", "http://127.0.0.1:15001/hub/", "journalctl -u jupyterhub"},
			[]string{"HUB105", "HUB307", "upgrade-db -f", "systemctl stop"}},
		{"compose", []string{"--dir", "testdata/compose"},
			[]string{"docker compose -f testdata/compose/docker-compose.yml build --build-arg JUPYTERHUB_VERSION=5.5.1 hub", "quay.io/jupyterhub/singleuser:4.1.6", "<cwd>/testdata/compose/data/jupyterhub.sqlite", "http://127.0.0.1:8000/hub/"},
			[]string{"pip install", "/usr/lib/python3"}},
		// The plain kinds: what the hub's Python prefix is decides how
		// its packages are installed.
		{"venv", []string{"--dir", "testdata/kinds/venv", "--hub-env", "testdata/kinds/venv/hub"},
			[]string{"testdata/kinds/venv/hub/bin/python -m pip install --upgrade 'jupyterhub==5.5.1'", "testdata/kinds/venv/hub/bin/jupyterhub upgrade-db -f testdata/kinds/venv/jupyterhub_config.py", "http://127.0.0.1:8091/hub/"},
			[]string{"conda install", "/opt/jupyterhub"}},
		{"conda", []string{"--dir", "testdata/kinds/conda", "--hub-env", "testdata/kinds/conda/hub"},
			[]string{"conda install -p testdata/kinds/conda/hub -c conda-forge jupyterhub=5.5.1", "testdata/kinds/conda/hub/bin/jupyterhub upgrade-db"},
			[]string{"pip install"}},
		{"managed", []string{"--dir", "testdata/kinds/managed", "--hub-env", "testdata/kinds/managed/hub"},
			[]string{"python3 -m venv /opt/jupyterhub", "/opt/jupyterhub/bin/python -m pip install 'jupyterhub==5.5.1'", "/opt/jupyterhub/bin/jupyterhub upgrade-db -f testdata/kinds/managed/jupyterhub_config.py"},
			[]string{"testdata/kinds/managed/hub/bin/python -m pip", "--break-system-packages '"}},
		{"prefix", []string{"--dir", "testdata/kinds/prefix", "--hub-env", "testdata/kinds/prefix/hub"},
			[]string{"testdata/kinds/prefix/hub/bin/python -m pip install --upgrade 'jupyterhub==5.5.1'", "testdata/kinds/prefix/hub/bin/jupyterhub upgrade-db"},
			[]string{"conda install", "/opt/jupyterhub"}},
	} {
		for _, format := range []string{"table", "json", "markdown"} {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				args := append([]string{"pre", "--target", "5.5.1", "--format", format}, c.args...)
				// Absolute paths (the compose reader's volumes, a missing
				// default database) make the table's widths depend on where
				// the checkout lives, so tables are laid out unwrapped and
				// compared with runs of padding folded.
				var environ map[string]string
				foldPadding := format == "table"
				if foldPadding {
					environ = map[string]string{"COLUMNS": "1000"}
				}
				_, out, errs := hubaudit(t, environ, args...)
				wd, _ := os.Getwd()
				out = normalize(strings.ReplaceAll(out, wd, "<cwd>"))
				if foldPadding {
					out = paddingRuns.ReplaceAllStringFunc(out, func(r string) string { return r[:len(string([]rune(r)[0]))] })
				}
				checkGolden(t, filepath.Join("testdata", "kind-"+c.name+"."+format+".golden"), out, errs)
				flat := strings.Join(strings.Fields(strings.ReplaceAll(out, "\\\n", "")), " ")
				for _, w := range c.want {
					if format == "json" && !strings.Contains(flat, w) {
						t.Errorf("no %q in the report", w)
					}
				}
				for _, n := range c.not {
					if strings.Contains(out, n) {
						t.Errorf("%q in the report", n)
					}
				}
			})
		}
	}
}

// composeReport audits a compose deployment directory and returns the
// JSON report.
func composeReport(t *testing.T, dir string) map[string]any {
	t.Helper()
	_, out, errs := hubaudit(t, nil, "pre", "--dir", dir, "--target", "5.5.1", "--format", "json")
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, errs)
	}
	return rep
}

// checkDeployDocker checks an audit of a jupyterhub-deploy-docker basic
// example from the host: the hub environment is the image's Dockerfile
// (not this machine's /usr), the config's os.environ reads resolve from
// the compose environment, the database is the named volume's, and
// HUB316 points at the build argument that leaves the image unpinned.
func checkDeployDocker(t *testing.T, rep map[string]any, composeLine int) {
	t.Helper()
	facts := rep["facts"].(map[string]any)
	dep := facts["deployment"].(map[string]any)
	cfg := dep["config"].(map[string]any)
	if dep["kind"] != "compose" || !strings.HasSuffix(fmt.Sprint(cfg["db_host_path"]), "/_data/jupyterhub.sqlite") || !strings.HasPrefix(fmt.Sprint(cfg["db_host_path"]), "/var/lib/docker/volumes/") {
		t.Errorf("deployment %v, db %v", dep["kind"], cfg["db_host_path"])
	}
	envs, _ := facts["env"].(map[string]any)["environments"].([]any)
	if len(envs) == 0 {
		t.Fatal("no environments")
	}
	for _, e := range envs {
		m := e.(map[string]any)
		if m["role"] == "hub" && (!strings.HasSuffix(fmt.Sprint(m["path"]), "Dockerfile.jupyterhub") || strings.HasPrefix(fmt.Sprint(m["path"]), "/usr")) {
			t.Errorf("hub environment %v", m["path"])
		}
	}
	b, _ := json.Marshal(rep)
	if !strings.Contains(string(b), "quay.io/jupyter/base-notebook:latest") {
		t.Error("DOCKER_NOTEBOOK_IMAGE from the compose environment is not in the report")
	}
	var pin []string
	for _, f := range rep["findings"].([]any) {
		m := f.(map[string]any)
		if m["rule_id"] != "HUB316" {
			continue
		}
		loc := m["location"].(map[string]any)
		fix, _ := m["fix"].(map[string]any)
		pin = append(pin, fmt.Sprintf("%s:%v %v", filepath.Base(fmt.Sprint(loc["file"])), loc["line"], fix["description"]))
		if !strings.Contains(fmt.Sprint(m["message"]), `FROM quay.io/jupyterhub/jupyterhub:latest takes the newest jupyterhub release on the day it builds (JUPYTERHUB_VERSION: "latest" in docker-compose.yml:`) {
			t.Errorf("HUB316: %v", m["message"])
		}
	}
	want := fmt.Sprintf(`docker-compose.yml:%d set JUPYTERHUB_VERSION: "5.5.1" under build.args of the hub service in docker-compose.yml (a full release), so every build makes the same hub; change it only to upgrade`, composeLine)
	if len(pin) != 1 || pin[0] != want {
		t.Errorf("HUB316 findings %q, want [%q]", pin, want)
	}
}

// TestComposeDeployDocker audits testdata written after
// jupyterhub-deploy-docker's basic example (JUPYTERHUB_VERSION: latest, a
// named volume at /data); the pinned compose deployment of TestKindGolden
// gets no HUB316.
func TestComposeDeployDocker(t *testing.T) {
	checkDeployDocker(t, composeReport(t, filepath.Join("..", "..", "checks", "config", "testdata", "compose", "deploy-docker")), 14)
	// The running container's packages (docker compose exec hub pip
	// freeze) given as --hub-env are the hub environment; the Dockerfile
	// is still judged.
	dd := filepath.Join("..", "..", "checks", "config", "testdata", "compose", "deploy-docker")
	freeze := filepath.Join(t.TempDir(), "hub-freeze.txt")
	os.WriteFile(freeze, []byte("jupyterhub==4.1.6\ndockerspawner==13.0.0\njupyterhub-nativeauthenticator==1.2.0\n"), 0o644)
	_, out, _ := hubaudit(t, nil, "pre", "--dir", dd, "--hub-env", freeze, "--target", "5.5.1", "--format", "json")
	var rep map[string]any
	json.Unmarshal([]byte(out), &rep)
	if rep["current_version"] != "4.1.6" || !strings.Contains(fmt.Sprint(rep["current_version_from"]), "hub-freeze.txt") || !strings.Contains(out, `"HUB316"`) {
		t.Errorf("with --hub-env: current %v (%v), HUB316 %v", rep["current_version"], rep["current_version_from"], strings.Contains(out, `"HUB316"`))
	}
	b, _ := json.Marshal(composeReport(t, filepath.Join("testdata", "compose")))
	if strings.Contains(string(b), "HUB316") {
		t.Error("HUB316 on a Dockerfile pinned by its build argument")
	}
}

// TestComposeDeployDockerRepo audits the basic example of a checkout of
// jupyterhub/jupyterhub-deploy-docker named by $HUBAUDIT_DEPLOY_DOCKER_REPO
// (a maintainer check: the repository is not vendored).
func TestComposeDeployDockerRepo(t *testing.T) {
	repo := os.Getenv("HUBAUDIT_DEPLOY_DOCKER_REPO")
	if repo == "" {
		t.Skip("SKIP: set HUBAUDIT_DEPLOY_DOCKER_REPO to a checkout of jupyterhub/jupyterhub-deploy-docker")
	}
	checkDeployDocker(t, composeReport(t, filepath.Join(repo, "basic-example")), 13)
}

// tljhTree copies testdata/tljh (TLJH's own jupyterhub_config.py, a
// config.yaml, a jupyterhub_config.d) into a temporary folder with the
// given config.yaml.
func tljhTree(t *testing.T, configYAML string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(filepath.Join("testdata", "tljh"), func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("testdata", "tljh"), p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "config", "config.yaml"), []byte(configYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// tljhFindings audits a TLJH tree and returns its findings by rule, each
// "line: message".
func tljhFindings(t *testing.T, dir string, args ...string) (map[string]any, map[string][]string) {
	t.Helper()
	_, out, errs := hubaudit(t, nil, append([]string{"--dir", dir, "--hub-env", filepath.Join(dir, "hub-freeze.txt"), "--format", "json"}, args...)...)
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, errs)
	}
	fs := map[string][]string{}
	for _, f := range rep["findings"].([]any) {
		m := f.(map[string]any)
		loc := m["location"].(map[string]any)
		fs[fmt.Sprint(m["rule_id"])] = append(fs[fmt.Sprint(m["rule_id"])], fmt.Sprintf("%v: %v", loc["line"], m["message"]))
	}
	return rep, fs
}

// TestTLJHConfigRelease: TLJH 1.0.0 installed (jupyterhub 4.1.6) with a
// stock config.yaml (FirstUseAuthenticator, nobody listed). Upgrading to
// jupyterhub 5.5.1 installs TLJH 2.0.0, whose configurer sets
// FirstUseAuthenticator.allow_all for that case, so jupyterhub 5's allow
// config (HUB110) is no finding; the config is read as 2.0.0's.
func TestTLJHConfigRelease(t *testing.T) {
	dir := tljhTree(t, "users:\n  admin:\n    - maria\n")
	rep, fs := tljhFindings(t, dir, "pre", "--target", "5.5.1")
	cfg := rep["facts"].(map[string]any)["config"].(map[string]any)
	if cfg["tljh_release"] != "2.0.0" || cfg["tljh_release_from"] != "TLJH 2.0.0, which the plan installs for jupyterhub 5.5.1" {
		t.Errorf("read as %v (%v)", cfg["tljh_release"], cfg["tljh_release_from"])
	}
	for _, id := range []string{"HUB110", "HUB105", "HUB307", "HUB141"} {
		if len(fs[id]) > 0 {
			t.Errorf("%s: %v", id, fs[id])
		}
	}
	// A target TLJH 1.0.0 installs is read with 1.0.0's configurer.
	rep, _ = tljhFindings(t, dir, "pre", "--target", "4.1.6")
	cfg = rep["facts"].(map[string]any)["config"].(map[string]any)
	if cfg["tljh_release"] != "1.0.0" {
		t.Errorf("for 4.1.6 read as %v (%v)", cfg["tljh_release"], cfg["tljh_release_from"])
	}
	// A target no TLJH release installs: the installed release, from its
	// metadata in the hub environment (a development build counts as the
	// release before it).
	di := filepath.Join(dir, "hub", "lib", "python3.12", "site-packages", "the_littlest_jupyterhub-1.0.1.dev0.dist-info")
	if err := os.MkdirAll(di, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(di, "METADATA"), []byte("Metadata-Version: 2.1\nName: the-littlest-jupyterhub\nVersion: 1.0.1.dev0\n"), 0o644)
	rep, _ = tljhFindings(t, dir, "pre", "--target", "6.0.0b2")
	cfg = rep["facts"].(map[string]any)["config"].(map[string]any)
	if cfg["tljh_release"] != "1.0.0" || !strings.HasPrefix(fmt.Sprint(cfg["tljh_release_from"]), "TLJH 1.0.0, installed (the-littlest-jupyterhub 1.0.1.dev0 in ") {
		t.Errorf("for 6.0.0b2 read as %v (%v)", cfg["tljh_release"], cfg["tljh_release_from"])
	}
}

// TestTLJHOwnConfig audits TLJH trees laid out with TLJH's own
// jupyterhub_config.py at 1.0.0 and 2.0.0, read from a checkout of
// jupyterhub/the-littlest-jupyterhub named by $HUBAUDIT_TLJH_REPO (a
// maintainer check: the repository is not vendored), with the config.yaml
// of testdata/tljh: no HUB105, HUB307 or HUB141, and a plan with TLJH
// 2.0.0's installer, TLJH's hub port and no upgrade-db by hand.
func TestTLJHOwnConfig(t *testing.T) {
	repo := os.Getenv("HUBAUDIT_TLJH_REPO")
	if repo == "" {
		t.Skip("SKIP: set HUBAUDIT_TLJH_REPO to a checkout of jupyterhub/the-littlest-jupyterhub")
	}
	yml, err := os.ReadFile(filepath.Join("testdata", "tljh", "config", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"1.0.0", "2.0.0"} {
		src, err := exec.Command("git", "-C", repo, "show", tag+":tljh/jupyterhub_config.py").Output()
		if err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		dir := tljhTree(t, string(yml))
		sp := filepath.Join(dir, "hub", "lib", "python3.12", "site-packages")
		os.WriteFile(filepath.Join(sp, "tljh", "jupyterhub_config.py"), src, 0o644)
		os.MkdirAll(filepath.Join(sp, "the_littlest_jupyterhub-"+tag+".dist-info"), 0o755)
		_, out, _ := hubaudit(t, nil, "pre", "--target", "5.5.1", "--dir", dir, "--hub-env", filepath.Join(dir, "hub-freeze.txt"), "--format", "json")
		for _, id := range []string{`"HUB105"`, `"HUB307"`, `"HUB141"`, "upgrade-db -f"} {
			if strings.Contains(out, id) {
				t.Errorf("%s: %s in the report", tag, id)
			}
		}
		for _, w := range []string{"--version=2.0.0", "http://127.0.0.1:15001/hub/", "starts the hub with --upgrade-db"} {
			if !strings.Contains(out, w) {
				t.Errorf("%s: no %q in the report", tag, w)
			}
		}
	}
}

// TestTLJHKeyUnknown: config.yaml keys TLJH 2.0.0's configurer does not
// read are HUB141, with the nearest key it reads, or the release that
// read it.
func TestTLJHKeyUnknown(t *testing.T) {
	dir := tljhTree(t, "users:\n  alowed:\n    - kofi\n  admin: [maria]\n  extra_user_groups:\n    staff: [maria]\nuser_environment:\n  default_ap: classic\n  default_app: nteract\nservices:\n  configurator:\n    enabled: true\nauth:\n  type: firstuseauthenticator.FirstUseAuthenticator\n  FirstUseAuthenticator:\n    create_users: true\n")
	_, fs := tljhFindings(t, dir, "pre", "--target", "5.5.1")
	want := []string{
		"2: users.alowed is not a key TLJH 2.0.0's configurer reads (TLJH 2.0.0, which the plan installs for jupyterhub 5.5.1): it has no effect; did you mean users.allowed?",
		"8: user_environment.default_ap is not a key TLJH 2.0.0's configurer reads (TLJH 2.0.0, which the plan installs for jupyterhub 5.5.1): it has no effect; did you mean user_environment.default_app?",
		"9: user_environment.default_app nteract is not an app TLJH 2.0.0's configurer knows (classic, jupyterlab; TLJH 2.0.0, which the plan installs for jupyterhub 5.5.1): it sets no default URL, so users land on the single-user server's default",
		"11: services.configurator is not a key TLJH 2.0.0's configurer reads (TLJH 2.0.0, which the plan installs for jupyterhub 5.5.1): it has no effect; TLJH 0.2.0 read it",
	}
	if fmt.Sprint(fs["HUB141"]) != fmt.Sprint(want) {
		t.Errorf("HUB141:\n%s\nwant\n%s", strings.Join(fs["HUB141"], "\n"), strings.Join(want, "\n"))
	}
}

// TestComposeCurrentUnknownHint: a compose hub whose Dockerfile takes a
// moving jupyterhub (latest), with no database or log, has no known
// version; HUB502 says how to export the running container's packages,
// with the hub's service as the compose file names it, and the export
// it names is then read as the hub environment.
func TestComposeCurrentUnknownHint(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hub")
	if err := exec.Command("cp", "-r", filepath.Join("testdata", "compose"), dir).Run(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "docker-compose.yml"))
	y := strings.Replace(strings.Replace(string(b), "JUPYTERHUB_VERSION: 4.1.6", "JUPYTERHUB_VERSION: latest", 1), "\n  hub:\n", "\n  jupyterhub-hub:\n", 1)
	os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte(y), 0o644)
	_, out, errs := hubaudit(t, nil, "pre", "--target", "5.5.1", "--dir", dir, "--format", "json")
	var r struct {
		Findings []struct {
			RuleID  string `json:"rule_id"`
			Message string `json:"message"`
			Fix     *struct {
				Commands []string `json:"commands"`
			} `json:"fix"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, errs)
	}
	export := "docker compose -f " + dir + "/docker-compose.yml exec jupyterhub-hub pip freeze > hub-freeze.txt"
	want := "no input tells the running jupyterhub version (the hub image's Dockerfile " + dir + "/Dockerfile.jupyterhub does not pin jupyterhub; no database was read; no log was read); " +
		"pass --hub-env, --db or --log; the hub runs in the jupyterhub-hub service's container (" + dir + "/docker-compose.yml), not on this machine: export its packages with `" + export + "`, then pass --hub-env hub-freeze.txt"
	found := false
	for _, f := range r.Findings {
		if f.RuleID == "HUB502" {
			found = true
			if f.Message != want || f.Fix == nil || len(f.Fix.Commands) != 1 || f.Fix.Commands[0] != export {
				t.Errorf("HUB502:\n%s\n%+v\nwant:\n%s", f.Message, f.Fix, want)
			}
		}
	}
	if !found {
		t.Fatalf("no HUB502: %s", out)
	}
	// Following it: the container's packages are the hub environment.
	freeze := filepath.Join(dir, "hub-freeze.txt")
	os.WriteFile(freeze, []byte("jupyterhub==5.2.1\ndockerspawner==13.0.0\n"), 0o644)
	_, out, _ = hubaudit(t, nil, "pre", "--target", "5.5.1", "--dir", dir, "--hub-env", freeze, "--format", "json")
	var r2 struct {
		Current string `json:"current_version"`
		From    string `json:"current_version_from"`
	}
	json.Unmarshal([]byte(out), &r2)
	if r2.Current != "5.2.1" || r2.From != "hub environment "+freeze {
		t.Errorf("with --hub-env: current %s from %s", r2.Current, r2.From)
	}
}
