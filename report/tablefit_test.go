package report

import (
	"os/exec"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	cases := []struct {
		in    string
		width int
		want  string
	}{
		{"short line", 20, "short line"},
		{"one two three four five", 9, "one two\nthree\nfour five"},
		{"at /srv/jupyterhub/config/jupyterhub_config.py:12", 20, "at /srv/jupyterhub/\nconfig/jupyterhub_\nconfig.py:12"},
		{"keep\nbreaks", 20, "keep\nbreaks"},
		{"c.Authenticator.allowed_users", 16, "c.Authenticator.\nallowed_users"},
		{"abcdefghij", 4, "abcd\nefgh\nij"},
	}
	for _, c := range cases {
		if got := wrap(c.in, c.width); got != c.want {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
		for _, ln := range strings.Split(wrap(c.in, c.width), "\n") {
			if displayWidth(ln) > c.width {
				t.Errorf("wrap(%q, %d): line %q too wide", c.in, c.width, ln)
			}
		}
	}
}

// TestPrintCommand: a long command moves its comment above it and
// continues after " \" between words, never inside quotes.
func TestPrintCommand(t *testing.T) {
	var b strings.Builder
	printCommand(&b, 40, "  ", "python3 -m pip install --upgrade 'jupyterhub==5.5.1 x' oauthenticator   # in the hub env")
	want := "  # in the hub env\n  $ python3 -m pip install --upgrade \\\n      'jupyterhub==5.5.1 x' \\\n      oauthenticator\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	printCommand(&b, 80, "  ", "systemctl stop jupyterhub   # or however")
	if b.String() != "  $ systemctl stop jupyterhub   # or however\n" {
		t.Errorf("a command that fits changed: %q", b.String())
	}
}

func TestShellWords(t *testing.T) {
	got := strings.Join(shellWords(" a  'b c' \"d e\"f 'open end"), "|")
	if got != "a|'b c'|\"d e\"f|'open end" {
		t.Errorf("shellWords: %q", got)
	}
}

// TestPrintCommandPastes prints commands wider than the line, some with
// words wider than it (a quoted script, a command substitution, a long
// path), at several widths, and has bash read each printed command (the
// prompt taken away, as a user pastes it) and the command itself: every
// command gets the same arguments (PATH is empty, so bash's
// command_not_found_handle prints the arguments of each command,
// substitutions included), and no printed line is wider than the width
// but one, at 40 columns, whose quoted jsonpath in a substitution has no
// break.
func TestPrintCommandPastes(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	cmds := []string{
		`kubectl -n NAMESPACE exec deploy/hub -c hub -- python3 -c "import sqlite3; d = sqlite3.connect('/srv/jupyterhub/jupyterhub.sqlite.hubaudit-copy'); sqlite3.connect('/srv/jupyterhub/jupyterhub.sqlite').backup(d); d.close()"`,
		`kubectl -n NAMESPACE cp -c hub "$(kubectl -n NAMESPACE get pod -l component=hub -o jsonpath='{.items[0].metadata.name}'):/srv/jupyterhub/jupyterhub.sqlite.hubaudit-copy" ./jupyterhub.sqlite`,
		`hubaudit backup --to ./hubaudit-backup --db sqlite:////work/very/long/checkout/path/cmd/hubaudit/testdata/compose/data/jupyterhub.sqlite --config /opt/tljh/hub/lib/python3.12/site-packages/tljh/jupyterhub_config.py`,
		`python3 -c 'print("a long single-quoted program that does not fit on one line of the plan at all", 1 + 2)'   # a comment`,
		`echo "${HOME}/x/$(printf '%s' "a b" | tr a-z A-Z)/${PATH:-/usr/bin}/\"quoted\"/\$literal/tail-of-a-long-word" 'ünïcödé-ünïcödé-ünïcödé-ünïcödé-ünïcödé' x\ y`,
		"curl -fsSL https://tljh.jupyter.org/bootstrap.py | sudo python3 - --version=2.0.0 --admin admin && echo `date +%Y-%m-%dT%H:%M:%S-and-more-text`",
	}
	dir := t.TempDir()
	run := func(script string) string {
		t.Helper()
		prelude := "PATH=/nonexistent\ncommand_not_found_handle() { printf '<%s>' \"$@\"; printf '\\n'; }\nset -f\n"
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", prelude+script)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s\n%s", err, script, out)
		}
		return string(out)
	}
	const indent = "      "
	for _, c := range cmds {
		want := run(c)
		if strings.Count(want, "<") < 2 {
			t.Fatalf("bash ran nothing of %s: %q", c, want)
		}
		for _, width := range []int{40, 60, 80} {
			var b strings.Builder
			printCommand(&b, width, indent, c)
			printed := b.String()
			var pasted []string
			for _, ln := range strings.Split(strings.TrimSuffix(printed, "\n"), "\n") {
				// jsonpath='{.items[0].metadata.name}'): quotes in a
				// substitution have no break.
				if displayWidth(ln) > width && !(width == 40 && strings.Contains(ln, "jsonpath=")) {
					t.Errorf("width %d: line %q is %d wide", width, ln, displayWidth(ln))
				}
				pasted = append(pasted, strings.Replace(ln, indent+"$ ", "", 1))
			}
			if got := run(strings.Join(pasted, "\n")); got != want {
				t.Errorf("width %d: the printed command\n%s\nruns as\n%s\nnot as\n%s", width, printed, got, want)
			}
		}
	}
}
