package configrules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// benchConfig is a 5,000-line config shaped like real ones (generated help
// comments, settings on several classes, a few deprecated and misspelled
// options, hooks).
func benchConfig() []byte {
	opts := []string{"JupyterHub.port = 8000", "Spawner.default_url = '/lab'", "Authenticator.whitelist = {'a'}",
		"KubeSpawner.image = 'x'", "JupyterHub.cookie_max_age_dayz = 1", "DockerSpawner.container_image = 'x'",
		"GitHubOAuthenticator.allowed_organizations = {'o'}", "Spawner.environment.update({'A': '1'})"}
	var b strings.Builder
	b.WriteString("import os\nc = get_config()  #noqa\nc.Authenticator.allow_all = True\n")
	for i := 0; strings.Count(b.String(), "\n") < 5000; i++ {
		fmt.Fprintf(&b, "## Help text for option %d.\n#  Default: ''\n", i)
		if i%2 == 0 {
			fmt.Fprintf(&b, "c.%s\n\n", opts[(i/2)%len(opts)])
		} else {
			fmt.Fprintf(&b, "# c.Spawner.opt_%d = ''\n\n", i)
		}
	}
	return []byte(b.String())
}

// BenchmarkParseAndJudge5000Lines measures the whole config audit of a
// 5,000-line config: collect (parse, extract) and run every HUB1xx rule.
func BenchmarkParseAndJudge5000Lines(b *testing.B) {
	src := benchConfig()
	k := kb.MustLoad()
	target, _ := k.Resolve("5.5.1")
	k.ClassNames(kb.Versions{}) // load the trait catalog outside the loop
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		// A CLI run starts with empty caches.
		verdicts.Clear()
		suggestions.Clear()
		f := config.AnalyzeSource("jupyterhub_config.py", src)
		res := rules.Run(Rules, &rules.Input{Mode: rules.ModePre, KB: k, Target: target, Config: f}, rules.Options{})
		if len(res.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}
