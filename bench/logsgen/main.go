// Command logsgen writes a realistic JupyterHub log of a given size for the
// log-audit benchmark (bench/logs_bench.sh): mostly "[I ...]" access lines,
// about 1% warnings and errors of the kinds hubaudit recognises
// (deprecations, unknown options, 5xx answers, tracebacks, version
// mismatches, proxy errors). The output is deterministic for a given seed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "/tmp/hubaudit-bench/hub.log", "output file")
	size := flag.Int64("size", 1<<30, "approximate size in bytes")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := gen(*out, *size, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "logsgen:", err)
		os.Exit(1)
	}
}

var (
	users   = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"}
	paths   = []string{"/hub/api/users/%s/activity", "/user/%s/api/kernels", "/hub/api/user", "/user/%s/lab/api/settings", "/hub/home", "/user/%s/api/contents/work?content=1", "/hub/api/users/%s"}
	methods = []string{"GET", "GET", "GET", "POST", "PATCH"}
	infos   = []string{
		"User %s took 2.345 seconds to start",
		"Adding user %s to proxy /user/%s/ => http://10.0.3.7:8888",
		"Spawning jupyterhub-singleuser --port=8888",
		"User %s requested API token for %s",
	}
	rare = []string{
		"[W %s JupyterHub configurable:214] Config option `cookie_max_age_dayz` not recognized by `JupyterHub`.  Did you mean `cookie_max_age_days`?",
		"[W %s JupyterHub auth:166] GitHubOAuthenticator.whitelist is deprecated in JupyterHub 1.2, use GitHubOAuthenticator.allowed_users instead",
		"[E %s JupyterHub log:192] 500 GET /hub/api/users (admin@10.0.0.5) 12.31ms",
		"[E %s JupyterHub log:192] 503 GET /user/alice/lab (alice@10.0.0.5) 2.00ms",
		"[W %s JupyterHub user:881] jupyterhub version 5.5.1 != jupyterhub-singleuser version 4.1.6. This could cause failure to authenticate and result in redirect loops!",
		"[W %s JupyterHub app:2580] alice appears to have stopped while the Hub was down",
		"[W %s JupyterHub log:192] 404 GET /hub/nope (@10.0.0.6) 1.00ms",
		"[E %s JupyterHub app:3135] Cannot connect to external service announcement at http://127.0.0.1:18105. Is it running?",
		"[E %s JupyterHub web:1875] Uncaught exception GET /hub/api/users (10.0.0.5)\n    Traceback (most recent call last):\n      File \"/usr/lib/python3/dist-packages/tornado/web.py\", line 1790, in _execute\n        result = await result\n      File \"/opt/hub/jupyterhub/apihandlers/users.py\", line 95, in get\n        data = self.paginated_model(query)\n    KeyError: 'name'",
		"[W %s JupyterHub auth:1502] No allow config found, it's possible that nobody can login to your Hub!\n    You can set `c.Authenticator.allow_all = True` to allow any user who can login to access the Hub,\n    or e.g. `allowed_users` to a set of users who should have access.\n    You may suppress this warning by setting c.Authenticator.any_allow_config = True.",
	}
)

func gen(path string, size int64, seed uint64) error {
	if err := os.MkdirAll(dirOf(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	t := time.Date(2024, 5, 29, 0, 0, 0, 0, time.UTC)
	var n int64
	write := func(s string) {
		w.WriteString(s)
		w.WriteByte('\n')
		n += int64(len(s)) + 1
	}
	write(fmt.Sprintf("[I %s JupyterHub app:3374] Running JupyterHub version 5.5.1", stamp(t)))
	for n < size {
		t = t.Add(time.Duration(r.IntN(40)) * time.Millisecond)
		ts := stamp(t)
		u := users[r.IntN(len(users))]
		switch k := r.IntN(1000); {
		case k < 10:
			write(fmt.Sprintf(rare[r.IntN(len(rare))], ts))
		case k < 120:
			s := infos[r.IntN(len(infos))]
			write(fmt.Sprintf("[I %s JupyterHub base:1143] ", ts) + strings.ReplaceAll(s, "%s", u))
		default:
			p := paths[r.IntN(len(paths))]
			write(fmt.Sprintf("[I %s JupyterHub log:192] 200 %s %s (%s@10.0.%d.%d) %d.%02dms", ts, methods[r.IntN(len(methods))],
				strings.ReplaceAll(p, "%s", u), u, r.IntN(4), r.IntN(250), r.IntN(90), r.IntN(100)))
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func stamp(t time.Time) string { return t.Format("2006-01-02 15:04:05.000") }

func dirOf(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return "."
}
