package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
)

// demoRecord is a JupyterHub log line: [L DATE TIME LOGGER MODULE:LINE] MSG.
var demoRecord = regexp.MustCompile(`^\[([DIWEC]) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (\S+) (\w+):(\d+)\] (.*)$`)

// companionModules are the modules of the demo's hub environment that log
// through the hub logger but belong to another package: their formats are
// that package's, not a JupyterHub release's.
var companionModules = map[string]string{"configurable": "traitlets", "oauth2": "oauthenticator", "dockerspawner": "dockerspawner"}

// TestDemoLogIsTrue: every line of the demo's hub log is a message the
// knowledge base knows, at the level it is printed with. A JupyterHub
// message must be one the demo's release (4.1.6, its hub environment)
// prints; a companion's (traitlets, OAuthenticator, DockerSpawner) one of
// the formats recorded for that package. The classes the log says it
// uses are the hub environment's releases. Issue 11 item 8: the old demo
// log said github_organization_whitelist was "not recognized" (OAuthenticator
// 16.3.1 forwards it with a deprecation warning) and showed an admin_access
// warning 4.1.6 never prints.
func TestDemoLogIsTrue(t *testing.T) {
	k := kb.MustLoad()
	reqs, err := os.ReadFile(filepath.Join(demoDir, "envs", "hub-requirements.txt"))
	if err != nil {
		t.Fatal(err)
	}
	hubEnv := map[string]string{}
	for _, l := range strings.Fields(string(reqs)) {
		if n, v, ok := strings.Cut(l, "=="); ok {
			hubEnv[pep440.NormalizeName(n)] = v
		}
	}
	release := pep440.MustParse(hubEnv["jupyterhub"])
	levels := map[string]string{"D": "DEBUG", "I": "INFO", "W": "WARNING", "E": "ERROR", "C": "CRITICAL"}
	var msgs []*kb.Message
	msgs = append(append(msgs, k.Messages()...), k.LogMessages()...)

	f, err := os.Open(filepath.Join(demoDir, "logs", "jupyterhub.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		m := demoRecord.FindStringSubmatch(sc.Text())
		if m == nil {
			t.Errorf("line %d is not a JupyterHub log record: %q", n, sc.Text())
			continue
		}
		level, logger, module, text := levels[m[1]], m[2], m[3], m[5]
		if logger != "JupyterHub" {
			t.Errorf("line %d: logger %s, the hub logs as JupyterHub", n, logger)
		}
		pkg, companion := companionModules[module]
		var hit *kb.Message
		for _, km := range msgs {
			if km.Level != level || !km.Regexp().MatchString(text) {
				continue
			}
			ranged := !km.First.IsZero()
			if ranged && km.PrintedBy(release) || !ranged && companion {
				hit = km
				break
			}
		}
		if hit == nil {
			t.Errorf("line %d (%s, %s): no known %s format of %s: %q", n, level, module, level, map[bool]string{true: pkg, false: "jupyterhub " + release.String()}[companion], text)
			continue
		}
		// The classes the hub says it uses are the hub environment's.
		if hit.ID == "hub.using_class" {
			_, cls, _ := strings.Cut(text, ": ")
			mod, ver, _ := strings.Cut(cls, "-")
			top, _, _ := strings.Cut(mod, ".")
			if want := hubEnv[top]; ver != want {
				t.Errorf("line %d: %s at %s, the hub environment has %s", n, mod, ver, want)
			}
		}
		if hit.ID == "version.hub_running" && !strings.HasSuffix(text, " "+release.String()) {
			t.Errorf("line %d: %q, the hub environment has jupyterhub %s", n, text, release)
		}
	}
	if n < 10 {
		t.Fatalf("only %d lines", n)
	}
}

// TestDemoLogAgreesWithConfig: what the demo's hub log says about an
// option is what the config audit says about it: "not recognized" goes
// with an option the installed release does not accept (HUB101, 103,
// 104), a deprecation warning with one it still accepts (HUB102), and
// each log finding about an option joins its config finding instead of
// standing alone.
func TestDemoLogAgreesWithConfig(t *testing.T) {
	_, fs := auditJSON(t, "pre", "--target", "5.5.1", "--dir", demoDir)
	byOption := map[string]jsonFinding{}
	for _, f := range fs {
		if strings.HasPrefix(f.RuleID, "HUB1") && strings.HasPrefix(f.Location.Subject, "trait:") {
			_, opt, _ := strings.Cut(strings.TrimPrefix(f.Location.Subject, "trait:"), ".")
			byOption[opt] = f
		}
		if f.RuleID == "HUB404" || f.RuleID == "HUB405" {
			t.Errorf("a log finding stands alone: %s %s", f.RuleID, f.Message)
		}
	}
	log, err := os.ReadFile(filepath.Join(demoDir, "logs", "jupyterhub.log"))
	if err != nil {
		t.Fatal(err)
	}
	notRecognized := regexp.MustCompile("Config option `(\\w+)` not recognized")
	deprecated := regexp.MustCompile(`\] \w+\.(\w+) is deprecated in `)
	checked := 0
	for _, line := range strings.Split(string(log), "\n") {
		if m := notRecognized.FindStringSubmatch(line); m != nil {
			checked++
			if f, ok := byOption[m[1]]; !ok || f.RuleID == "HUB102" {
				t.Errorf("the log says %s is not recognized; the config audit says %+v", m[1], f)
			}
		}
		if m := deprecated.FindStringSubmatch(line); m != nil {
			checked++
			if f, ok := byOption[m[1]]; !ok || f.RuleID != "HUB102" {
				t.Errorf("the log says %s is deprecated; the config audit says %+v", m[1], f)
			}
		}
	}
	if checked < 3 {
		t.Fatalf("only %d option lines checked", checked)
	}
}
