package fixconfig_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/fixconfig"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/rules/configrules"
)

var update = flag.Bool("update", false, "rewrite the golden .diff and .fixed files")

var targetRE = regexp.MustCompile(`(?m)^(?:\x{feff})?#\s*target:\s*(\S+)`)

// TestFixGolden: the diff and the rewritten file match the golden files;
// the rewritten file parses and yields no rename findings; every line that
// was not renamed is unchanged, byte for byte.
func TestFixGolden(t *testing.T) {
	k := kb.MustLoad()
	files, _ := filepath.Glob("testdata/*.py")
	if len(files) < 4 {
		t.Fatalf("only %d inputs", len(files))
	}
	for _, in := range files {
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			m := targetRE.FindSubmatch(src)
			if m == nil {
				t.Fatal("no # target: header")
			}
			target, err := k.Resolve(string(m[1]))
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(in)
			out, diff, n, err := fixconfig.Fix(name, src, target, k)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(in, ".py")+".diff", []byte(diff))
			golden(t, strings.TrimSuffix(in, ".py")+".fixed", out)
			if (n == 0) != (diff == "") || (n == 0) != bytes.Equal(out, src) {
				t.Errorf("renames %d but diff %q", n, diff)
			}
			// Only renamed lines differ.
			a, b := strings.Split(string(src), "\n"), strings.Split(string(out), "\n")
			if len(a) != len(b) {
				t.Fatalf("line count changed: %d -> %d", len(a), len(b))
			}
			changed := 0
			for i := range a {
				if a[i] != b[i] {
					changed++
				}
			}
			if changed > n {
				t.Errorf("%d lines changed for %d renames", changed, n)
			}
			// The result parses and has nothing left to rename.
			f := config.AnalyzeSource(name, out)
			if len(f.ParseErrors) != 0 {
				t.Errorf("rewritten file does not parse: %+v", f.ParseErrors)
			}
			res := rules.Run(configrules.Rules, &rules.Input{Mode: rules.ModePre, KB: k, Target: target, Config: f}, rules.Options{})
			for _, fd := range res.Findings {
				if fd.Fix != nil && len(fd.Fix.Edits) > 0 && (fd.RuleID == "HUB102" || fd.RuleID == "HUB103" || fd.RuleID == "HUB104") {
					t.Errorf("rename finding left after fix: %s %s", fd.RuleID, fd.Message)
				}
			}
			// Fixing again changes nothing.
			again, diff2, n2, err := fixconfig.Fix(name, out, target, k)
			if err != nil || n2 != 0 || diff2 != "" || !bytes.Equal(again, out) {
				t.Errorf("second fix not a no-op: %d renames, diff %q, err %v", n2, diff2, err)
			}
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestFixRefusesYAMLAndNoTarget(t *testing.T) {
	k := kb.MustLoad()
	if _, _, _, err := fixconfig.Fix("values.yaml", []byte("hub: {}\n"), k.Latest(), k); err == nil {
		t.Error("values.yaml accepted")
	}
	if _, _, _, err := fixconfig.Fix("a.py", []byte("c.A.b = 1\n"), nil, k); err == nil {
		t.Error("nil target accepted")
	}
}

func TestUnifiedDiffShape(t *testing.T) {
	a := []byte("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n")
	b := bytes.Replace(bytes.Replace(a, []byte("\n2\n"), []byte("\nTWO\n"), 1), []byte("\n19\n"), []byte("\nNINETEEN\n"), 1)
	want := "--- a/f.py\n+++ b/f.py\n@@ -1,5 +1,5 @@\n 1\n-2\n+TWO\n 3\n 4\n 5\n@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+NINETEEN\n 20\n"
	if got := fixconfig.UnifiedDiff("f.py", a, b); got != want {
		t.Errorf("diff:\n%s\nwant:\n%s", got, want)
	}
	if got := fixconfig.UnifiedDiff("/srv/jupyterhub/jupyterhub_config.py", a, b); !strings.HasPrefix(got, "--- /srv/jupyterhub/jupyterhub_config.py\n+++ /srv/jupyterhub/jupyterhub_config.py\n@@") {
		t.Errorf("absolute path headers: %q", got)
	}
	if got := fixconfig.UnifiedDiff("f.py", []byte("a"), []byte("b")); got != "--- a/f.py\n+++ b/f.py\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n" {
		t.Errorf("no-newline diff: %q", got)
	}
}

// TestFixDiffRedactsSecrets: a password next to a renamed option is in the
// diff's context but its value is not; the rewritten file keeps it.
func TestFixDiffRedactsSecrets(t *testing.T) {
	k := kb.MustLoad()
	src := []byte("c.JupyterHub.authenticator_class = 'dummy'\nc.DummyAuthenticator.password = 'hunter2-s3cret'\nc.Authenticator.whitelist = {'alice'}\nc.JupyterHub.cookie_secret = b'0123456789abcdef'\n")
	out, diff, n, err := fixconfig.Fix("jupyterhub_config.py", src, k.Latest(), k)
	if err != nil || n != 1 {
		t.Fatalf("%d renames, %v", n, err)
	}
	for _, secret := range []string{"hunter2-s3cret", "0123456789abcdef"} {
		if strings.Contains(diff, secret) {
			t.Errorf("the diff shows %q:\n%s", secret, diff)
		}
		if !strings.Contains(string(out), secret) {
			t.Errorf("the rewritten file lost %q", secret)
		}
	}
	for _, want := range []string{" c.DummyAuthenticator.password = <redacted>\n", "-c.Authenticator.whitelist = {'alice'}\n", "+c.Authenticator.allowed_users = {'alice'}\n"} {
		if !strings.Contains(diff, want) {
			t.Errorf("the diff lacks %q:\n%s", want, diff)
		}
	}
}
