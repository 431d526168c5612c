package report

import (
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
