package configrules

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// TestRealHubFixture checks the config audit against what a real
// JupyterHub 3.0.0 said about the same config (testdata/fixtures/logs, log 011):
// every option the hub warned about is reported, with the hub's own
// suggestion or replacement.
func TestRealHubFixture(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "fixtures", "logs")
	cfgPath := filepath.Join(dir, "configs", "011_deprecated_options_3.0.0.jupyterhub_config.py")
	logb, err := os.ReadFile(filepath.Join(dir, "011_deprecated_options_3.0.0.log"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := config.Collect(config.Options{Files: []string{cfgPath}})
	if err != nil {
		t.Fatal(err)
	}
	k := kb.MustLoad()
	target, _ := k.Resolve("3.0.0")
	res := rules.Run(Rules, &rules.Input{Mode: rules.ModePre, KB: k, Target: target, Config: f}, rules.Options{})
	findings := map[string][]rules.Finding{}
	for _, fd := range res.Findings {
		findings[fd.Location.Subject] = append(findings[fd.Location.Subject], fd)
	}
	notRecognized := regexp.MustCompile("Config option `(\\w+)` not recognized by `(\\w+)`(?:\\.\\s+Did you mean `(\\w+)`)?")
	deprecated := regexp.MustCompile(`(\w+)\.(\w+) is (?:pending )?deprecat\w* (?:in|since|as of) (?:JupyterHub )?(?:version )?([\d.]+)`)
	checked := 0
	for _, line := range strings.Split(string(logb), "\n") {
		if m := notRecognized.FindStringSubmatch(line); m != nil {
			checked++
			// The hub names the runtime class; the config set the base.
			found := false
			for subj, fs := range findings {
				if strings.HasSuffix(subj, "."+m[1]) {
					found = true
					if m[3] != "" && !strings.Contains(fs[0].Message, "did you mean "+m[3]) {
						t.Errorf("%s: hub suggested %s, we said %q", m[1], m[3], fs[0].Message)
					}
				}
			}
			if !found {
				t.Errorf("the hub warned that %s is not recognized; hubaudit said nothing", m[1])
			}
		}
		if m := deprecated.FindStringSubmatch(line); m != nil {
			checked++
			class := m[1]
			if class == "DummyAuthenticator" {
				class = "Authenticator" // the config sets it on the base class
			}
			fs := findings["trait:"+class+"."+m[2]]
			stated := strings.Contains(fs0(fs), " since ")
			if len(fs) == 0 || fs[0].RuleID != "HUB102" || stated && !strings.Contains(fs[0].Message, "since "+strings.TrimSuffix(m[3], ".")) {
				t.Errorf("the hub said %s.%s is deprecated in %s; hubaudit said %+v", m[1], m[2], m[3], fs)
			}
		}
	}
	if checked < 6 {
		t.Fatalf("only %d hub warnings checked", checked)
	}
}

func fs0(fs []rules.Finding) string {
	if len(fs) == 0 {
		return ""
	}
	return fs[0].Message
}
