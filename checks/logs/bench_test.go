package logs

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hubaudit/hubaudit/kb"
)

// writeBenchLog writes a log of about size bytes: access lines with 1% of
// warnings, errors and tracebacks.
func writeBenchLog(tb testing.TB, path string, size int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rare := []string{
		"[W 2024-05-29 10:00:%02d.%03d JupyterHub auth:166] GitHubOAuthenticator.whitelist is deprecated in JupyterHub 1.2, use GitHubOAuthenticator.allowed_users instead\n",
		"[E 2024-05-29 10:00:%02d.%03d JupyterHub log:192] 500 GET /hub/api/users (admin@10.0.0.5) 12.31ms\n",
		"[E 2024-05-29 10:00:%02d.%03d JupyterHub web:1875] Uncaught exception GET /hub/api/users (10.0.0.5)\n    Traceback (most recent call last):\n      File \"/opt/hub/jupyterhub/apihandlers/users.py\", line 95, in get\n        data = self.paginated_model(query)\n    KeyError: 'name'\n",
	}
	n, i := 0, 0
	for n < size {
		var s string
		if i%100 == 0 {
			s = fmt.Sprintf(rare[(i/100)%len(rare)], i%60, i%1000)
		} else {
			s = fmt.Sprintf("[I 2024-05-29 10:00:%02d.%03d JupyterHub log:192] 200 GET /user/u%d/api/kernels (u%d@10.0.0.%d) %d.%02dms\n", i%60, i%1000, i%50, i%50, i%250, i%90, i%100)
		}
		w.WriteString(s)
		n += len(s)
		i++
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// BenchmarkCollect measures the collector on a 64 MiB log (set
// HUBAUDIT_BENCH_LOG to measure another file).
func BenchmarkCollect(b *testing.B) {
	path := os.Getenv("HUBAUDIT_BENCH_LOG")
	if path == "" {
		path = filepath.Join(b.TempDir(), "hub.log")
		writeBenchLog(b, path, 64<<20)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	k := kb.MustLoad()
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := Collect(context.Background(), Options{Paths: []string{path}, KB: k})
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Events) == 0 {
			b.Fatal("no events")
		}
	}
}
