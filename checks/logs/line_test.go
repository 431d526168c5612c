package logs

import (
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	const hub = "[W 2024-05-29 16:27:54.815 JupyterHub auth:166] hello there"
	cases := []struct {
		in              string
		kind            int
		level           byte
		time, head, msg string
	}{
		{hub, kindHub, 'W', "2024-05-29 16:27:54.815", "JupyterHub auth:166", "hello there"},
		{"\x1b[33m[W 2024-05-29T16:27:54.815 JupyterHub auth:166]\x1b[0m hello there", kindHub, 'W', "2024-05-29T16:27:54.815", "JupyterHub auth:166", "hello there"},
		{"Jun  6 13:51:39 host jupyterhub[28961]: " + hub, kindHub, 'W', "2024-05-29 16:27:54.815", "JupyterHub auth:166", "hello there"},
		{"2024-06-06T13:51:39+0000 host jupyterhub[123]: " + hub, kindHub, 'W', "2024-05-29 16:27:54.815", "JupyterHub auth:166", "hello there"},
		{"jupyterhub  | " + hub, kindHub, 'W', "2024-05-29 16:27:54.815", "JupyterHub auth:166", "hello there"},
		{"hub-1  | 2024-05-29T16:27:54.815123456Z " + hub + "\r", kindHub, 'W', "2024-05-29 16:27:54.815", "JupyterHub auth:166", "hello there"},
		{"2024-05-29T16:27:54.815123456Z " + hub, kindHub, 'W', "2024-05-29 16:27:54.815", "JupyterHub auth:166", "hello there"},
		{"[pod/hub-1/hub] 2024-05-29T16:27:54.815Z " + hub, kindHub, 'W', "2024-05-29 16:27:54.815", "JupyterHub auth:166", "hello there"},
		{`{"log":"` + hub + `\n","stream":"stderr","time":"2024-05-29T16:27:54.8Z"}`, kindHub, 'W', "2024-05-29 16:27:54.815", "JupyterHub auth:166", "hello there"},
		{`{"levelname":"ERROR","name":"JupyterHub","message":"boom","asctime":"2024-05-29 16:27:54,815"}`, kindHub, 'E', "2024-05-29 16:27:54,815", "JupyterHub", "boom"},
		{"[I 240529 16:27:54 web:2243] 200 GET / (::1) 1.00ms", kindHub, 'I', "240529 16:27:54", "web:2243", "200 GET / (::1) 1.00ms"},
		{"[I 2024-05-29 16:27:54.815 ServerApp] Jupyter Server 2.14.0 is running", kindHub, 'I', "2024-05-29 16:27:54.815", "ServerApp", "Jupyter Server 2.14.0 is running"},
		{"2026-11-25T12:09:38.351Z [ConfigProxy] \x1b[31merror\x1b[39m: 503 GET /user/a/ socket hang up", kindProxy, 'E', "2026-11-25T12:09:38.351Z", "ConfigProxy", "503 GET /user/a/ socket hang up"},
		{"Found database schema version a != b.", kindBare, 0, "", "", "Found database schema version a != b."},
		{"    at TCPConnectWrap.afterConnect", kindBare, 0, "", "", "    at TCPConnectWrap.afterConnect"},
		{"[notalevel] x", kindBare, 0, "", "", "[notalevel] x"},
	}
	for _, c := range cases {
		var l line
		var scratch []byte
		parseLine([]byte(c.in), &l, &scratch)
		if l.kind != c.kind || l.level != c.level || string(l.time) != c.time || string(l.head) != c.head || string(l.msg) != c.msg {
			t.Errorf("%q:\n got  kind %d level %q time %q head %q msg %q\n want kind %d level %q time %q head %q msg %q",
				c.in, l.kind, l.level, l.time, l.head, l.msg, c.kind, c.level, c.time, c.head, c.msg)
		}
	}
	if got := loggerOf([]byte("alembic.runtime.migration migration:204")); got != "alembic.runtime.migration" {
		t.Errorf("loggerOf: %q", got)
	}
}

// TestCleanRedacts checks that event text loses its secrets, also when
// the key word is spelled with the letters Unicode folds onto ASCII.
func TestCleanRedacts(t *testing.T) {
	for in, secret := range map[string]string{
		"login with token=abc123 failed":              "abc123",
		"Authorization: token deadbeef0001":           "deadbeef0001",
		"connecting to postgresql://hub:pw77@db/hub":  "pw77",
		"API_KEY = 'k-999'":                           "k-999",
		"ſecret=longs1":                               "longs1",
		"client_secret: \"s3\"; passwd=hunter2 for x": "hunter2",
	} {
		if out := clean(in); strings.Contains(out, secret) || !strings.Contains(out, "[redacted]") {
			t.Errorf("clean(%q) = %q", in, out)
		}
	}
	if out := clean("GET /hub/home 200 12:00:01"); out != "GET /hub/home 200 12:00:01" {
		t.Errorf("plain text changed: %q", out)
	}
}
