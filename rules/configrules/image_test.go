package configrules

import (
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// TestSingleuserImageModes checks HUB116's severity and wording in pre and
// post, and that it needs a hub version to compare with.
func TestSingleuserImageModes(t *testing.T) {
	src := []byte("c.DockerSpawner.image = 'quay.io/jupyterhub/singleuser:4.1.6'\n")
	k := kb.MustLoad()
	target, err := k.Resolve("5.5.1")
	if err != nil {
		t.Fatal(err)
	}
	run := func(mode rules.Mode, target *kb.Release, current string) []rules.Finding {
		in := &rules.Input{Mode: mode, KB: k, Target: target, Config: config.AnalyzeSource("jupyterhub_config.py", src), States: map[rules.Source]rules.SourceState{}}
		if current != "" {
			in.Current = pep440.MustParse(current)
		}
		return rules.Run([]*rules.Rule{SingleuserImage}, in, rules.Options{}).Findings
	}
	for _, c := range []struct {
		name     string
		mode     rules.Mode
		target   *kb.Release
		current  string
		severity rules.Severity
		words    string
	}{
		{"pre", rules.ModePre, target, "4.1.6", rules.Warning, "the upgraded hub runs 5.5.1"},
		{"post", rules.ModePost, target, "5.5.1", rules.Error, "the hub runs 5.5.1"},
		{"post without target", rules.ModePost, nil, "5.5.1", rules.Error, "the hub runs 5.5.1"},
		{"same major.minor at 4.x", rules.ModePost, nil, "4.1.0", rules.SeverityNone, ""},
		{"other minor at 4.x", rules.ModePost, nil, "4.0.2", rules.Error, "the 4.0.2 hub warns about a different major.minor version"},
		{"no hub version", rules.ModePost, nil, "", rules.SeverityNone, ""},
	} {
		fs := run(c.mode, c.target, c.current)
		if c.words == "" {
			if len(fs) != 0 {
				t.Errorf("%s: %+v", c.name, fs)
			}
			continue
		}
		if len(fs) != 1 || fs[0].Severity != c.severity || !strings.Contains(fs[0].Message, c.words) {
			t.Errorf("%s: want one %s finding with %q, got %+v", c.name, c.severity, c.words, fs)
		}
	}
}
