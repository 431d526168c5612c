package logs

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hubaudit/hubaudit/checks"
	"github.com/hubaudit/hubaudit/kb"
)

func collect(t *testing.T, opts Options) *Facts {
	t.Helper()
	if opts.KB == nil {
		opts.KB = kb.MustLoad()
	}
	f, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// summary renders events as "id@line xcount k=v,..." for comparisons.
func summary(f *Facts) []string {
	var out []string
	for _, e := range f.Events {
		var ps []string
		for _, k := range slices.Sorted(maps.Keys(e.Params)) {
			ps = append(ps, k+"="+e.Params[k])
		}
		out = append(out, e.ID+"@"+itoa(e.First.Line)+" x"+itoa(e.Count)+" "+strings.Join(ps, ","))
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestFormatsAgree reads the same hub log in every wrapper format of
// testdata/logs and expects the same events (ids, parameters, counts and
// line numbers).
func TestFormatsAgree(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "logs")
	base := collect(t, Options{Paths: []string{filepath.Join(root, "hub-plain", "jupyterhub.log")}})
	want := summary(base)
	if len(want) < 12 {
		t.Fatalf("hub-plain: only %d events: %v", len(want), want)
	}
	for _, p := range []string{"ansi-iso/jupyterhub.log", "journald/syslog", "compose/compose.log", "kubectl/hub.log", "jsonl/container-json.log"} {
		f := collect(t, Options{Paths: []string{filepath.Join(root, p)}})
		got := summary(f)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got  %s\n want %s", p, strings.Join(got, "\n      "), strings.Join(want, "\n      "))
		}
		if f.HubVersion != "5.5.1" || f.Lines != base.Lines {
			t.Errorf("%s: version %q lines %d, want 5.5.1 and %d", p, f.HubVersion, f.Lines, base.Lines)
		}
	}
}

// TestEvents pins the events of the plain hub log.
func TestEvents(t *testing.T) {
	f := collect(t, Options{Paths: []string{filepath.Join("..", "..", "testdata", "logs", "hub-plain", "jupyterhub.log")}})
	want := []string{
		`version.hub_running@1 x1 arg1=5.5.1`,
		`hub.using_class@2 x1 arg1=Authenticator,arg2=oauthenticator,arg4=github.GitHubOAuthenticator-16.3.1`,
		"traitlets.config_not_recognized@3 x1 did_you_mean=cookie_max_age_days,klass=JupyterHub,option=cookie_max_age_dayz",
		`deprecation.renamed_trait@4 x1 cls=GitHubOAuthenticator,cls2=GitHubOAuthenticator,name=GitHubOAuthenticator.whitelist,new=allowed_users,old=whitelist,package=JupyterHub,replacement=GitHubOAuthenticator.allowed_users,version=1.2`,
		`auth.no_allow_config@5 x1 `,
		`spawner.stopped_while_down@9 x1 arg1=alice`,
		`spawner.stopped_while_down@10 x1 arg1=bob:gpu`,
		`hub.now_running@11 x1 arg1=http://:8000`,
		`version.mismatch.warning@13 x1 arg1=5.5.1,arg2=4.1.6`,
		`traceback@14 x1 context=Uncaught exception GET /hub/api/users?token=[redacted] (10.0.0.5),exception=KeyError,frame=/opt/hub/lib/python3.11/site-packages/jupyterhub/apihandlers/users.py:95 in get,message='name'`,
		`hub.access@22 x2 method=GET,path=/hub/api/users,status=500`,
		`hub.access@24 x1 method=GET,path=/user/alice/api/kernels/*,status=503`,
		`log.error@26 x1 message=Cannot connect to external service announcement at http://127.0.0.1:18105. Is it running?`,
		`hub.signal_shutdown@27 x1 arg1=SIGTERM`,
	}
	got := summary(f)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if f.Lines != 27 || f.Records != 17 {
		t.Errorf("lines %d records %d, want 27 and 17", f.Lines, f.Records)
	}
	b, _ := json.Marshal(f)
	if bytes.Contains(b, []byte("abc123secret")) {
		t.Error("a token from the log reached the facts")
	}
}

func TestAbsentAndMissing(t *testing.T) {
	k := kb.MustLoad()
	_, err := Collect(context.Background(), Options{KB: k})
	var ae *checks.AbsentError
	if !errors.As(err, &ae) {
		t.Fatalf("no paths: got %v, want checks.Absent", err)
	}
	if _, err := Collect(context.Background(), Options{KB: k, Paths: []string{"/nonexistent/hub.log"}}); err == nil {
		t.Fatal("missing file: no error")
	}
	if _, err := Collect(context.Background(), Options{KB: k, Paths: []string{"/nonexistent/*.log"}}); err == nil || !strings.Contains(err.Error(), "no file matches") {
		t.Fatalf("empty glob: %v", err)
	}
}

func TestStdinAndSinceLastStart(t *testing.T) {
	log := "[I 2024-01-01 10:00:00.000 JupyterHub app:1] Running JupyterHub version 4.1.6\n" +
		"[E 2024-01-01 10:00:01.000 JupyterHub app:2] old failure\n" +
		"[I 2024-01-02 10:00:00.000 JupyterHub app:1] Running JupyterHub version 5.5.1\n" +
		"[E 2024-01-02 10:00:01.000 JupyterHub app:2] new failure\n"
	f := collect(t, Options{Paths: []string{"-"}, Stdin: strings.NewReader(log), SinceLastStart: true})
	got := summary(f)
	want := []string{"version.hub_running@3 x1 arg1=5.5.1", "log.error@4 x1 message=new failure"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("since last start: %v, want %v", got, want)
	}
	if f.SkippedLines != 2 || len(f.Starts) != 2 || f.HubVersion != "5.5.1" || f.Files[0] != "<stdin>" {
		t.Errorf("skipped %d starts %d version %s files %v", f.SkippedLines, len(f.Starts), f.HubVersion, f.Files)
	}
	since := time.Date(2024, 1, 2, 0, 0, 0, 0, time.Local)
	f = collect(t, Options{Paths: []string{"-"}, Stdin: strings.NewReader(log), Since: since})
	if got := summary(f); len(got) != 2 || !strings.HasPrefix(got[1], "log.error@4") {
		t.Errorf("since: %v", got)
	}
}

// TestStartPreamble: the warnings a hub logs while it loads its config come
// before its "Running JupyterHub version" line and belong to the new run;
// warnings of the previous run, separated by other records, do not. Bare
// text and a proxy line end a preamble too.
func TestStartPreamble(t *testing.T) {
	const unknown = "[W 2024-01-02 09:59:59.000 JupyterHub configurable:214] Config option `x` not recognized by `JupyterHub`.\n"
	for _, tc := range []struct {
		name, log string
		want      []string
		skipped   int64
	}{
		{"warnings before the start", "[I 2024-01-01 10:00:00.000 JupyterHub app:1] Running JupyterHub version 4.1.6\n" +
			"[W 2024-01-01 10:00:01.000 JupyterHub app:2] old warning\n" +
			"[I 2024-01-01 11:00:00.000 JupyterHub app:3] ...done\n" +
			unknown +
			"[W 2024-01-02 09:59:59.500 JupyterHub auth:1] second preamble warning\n" +
			"[I 2024-01-02 10:00:00.000 JupyterHub app:1] Running JupyterHub version 5.5.1\n",
			[]string{"traitlets.config_not_recognized@4 x1 klass=JupyterHub,option=x", "log.warning@5 x1 message=second preamble warning", "version.hub_running@6 x1 arg1=5.5.1"}, 3},
		{"an error ends the preamble", "[W 2024-01-01 10:00:01.000 JupyterHub app:2] old warning\n" +
			"[E 2024-01-01 11:00:00.000 JupyterHub app:3] crash\n" +
			unknown +
			"[I 2024-01-02 10:00:00.000 JupyterHub app:1] Running JupyterHub version 5.5.1\n",
			[]string{"traitlets.config_not_recognized@3 x1 klass=JupyterHub,option=x", "version.hub_running@4 x1 arg1=5.5.1"}, 2},
		{"bare text ends the preamble", "[W 2024-01-01 10:00:01.000 JupyterHub app:2] old warning\n" +
			"some output\n" +
			"[I 2024-01-02 10:00:00.000 JupyterHub app:1] Running JupyterHub version 5.5.1\n",
			[]string{"version.hub_running@3 x1 arg1=5.5.1"}, 2},
		{"a proxy line ends the preamble", unknown +
			"2024-01-02T09:59:59.900Z [ConfigProxy] \x1b[32minfo\x1b[39m: 200 GET /api/routes\n" +
			"[I 2024-01-02 10:00:00.000 JupyterHub app:1] Running JupyterHub version 5.5.1\n",
			[]string{"version.hub_running@3 x1 arg1=5.5.1"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := collect(t, Options{Paths: []string{"-"}, Stdin: strings.NewReader(tc.log), SinceLastStart: true})
			if got := summary(f); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("events %v, want %v", got, tc.want)
			}
			if f.SkippedLines != tc.skipped {
				t.Errorf("skipped %d lines, want %d", f.SkippedLines, tc.skipped)
			}
		})
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"24h":                  now.Add(-24 * time.Hour),
		"7d":                   now.Add(-7 * 24 * time.Hour),
		"90m":                  now.Add(-90 * time.Minute),
		"2024-05-29T16:27:54Z": time.Date(2024, 5, 29, 16, 27, 54, 0, time.UTC),
		"2024-05-29":           time.Date(2024, 5, 29, 0, 0, 0, 0, time.Local),
		"2024-05-29 16:27:54":  time.Date(2024, 5, 29, 16, 27, 54, 0, time.Local),
	} {
		got, err := ParseSince(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "yesterday", "-5h", "2024-13-45"} {
		if _, err := ParseSince(bad, now); err == nil {
			t.Errorf("ParseSince(%q): no error", bad)
		}
	}
}

// TestHostile feeds garbage: binary data, NUL bytes, invalid UTF-8, CRLF,
// a 100 MB single line, a truncated gzip, a gzip bomb and an unreadable
// file. Each gives a problem, never a panic, and memory stays bounded.
func TestHostile(t *testing.T) {
	dir := t.TempDir()
	good := "[I 2024-01-01 10:00:00.000 JupyterHub app:1] Running JupyterHub version 5.5.1\r\n" +
		"[W 2024-01-01 10:00:01.000 JupyterHub app:2] Config option `x\xff\xfe` not recognized by `JupyterHub`.\r\n"
	bin := make([]byte, 64<<10)
	for i := range bin {
		bin[i] = byte(i * 7)
	}
	bin = append(bin, "\n"...)
	huge := bytes.Repeat([]byte("A"), 100<<20)
	huge = append(huge, "\n[E 2024-01-01 10:00:02.000 JupyterHub app:3] after the long line\n"...)
	full := []byte(strings.Repeat("[E 2024-01-01 10:00:03.000 JupyterHub app:4] in the gzip\n", 2000))
	trunc := gz(t, full)
	trunc = trunc[:len(trunc)/2]
	bomb := gz(t, make([]byte, 200<<20))
	paths := []string{
		write(t, dir, "a-good.log", []byte(good)),
		write(t, dir, "b-binary.log", append(append([]byte(good), bin...), []byte("\x00\x00\x00\n")...)),
		write(t, dir, "c-huge.log", huge),
		write(t, dir, "d-trunc.log.gz", trunc),
		write(t, dir, "e-bomb.gz", bomb),
		write(t, dir, "f-unreadable.log", []byte(good)),
	}
	if err := os.Chmod(paths[5], 0); err != nil {
		t.Fatal(err)
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f := collect(t, Options{Paths: paths})
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	kinds := map[string]bool{}
	for _, p := range f.Problems {
		kinds[filepath.Base(p.File)+":"+p.Kind] = true
		if strings.Contains(p.Detail, "\n") || p.Detail == "" {
			t.Errorf("problem detail %q", p.Detail)
		}
	}
	wantKinds := []string{"b-binary.log:binary_data", "c-huge.log:long_line", "d-trunc.log.gz:truncated_gzip", "e-bomb.gz:decompression_cap"}
	if os.Geteuid() != 0 {
		wantKinds = append(wantKinds, "f-unreadable.log:unreadable")
	}
	// A file that opens but cannot be read, even by root.
	if _, err := os.Stat("/proc/self/mem"); err == nil {
		g := collect(t, Options{Paths: []string{"/proc/self/mem", paths[0]}})
		if len(g.Problems) != 1 || g.Problems[0].Kind != "unreadable" || len(g.Events) == 0 {
			t.Errorf("read error: problems %+v, %d events", g.Problems, len(g.Events))
		}
	}
	for _, k := range wantKinds {
		if !kinds[k] {
			t.Errorf("no %s problem; got %v", k, kinds)
		}
	}
	ids := map[string]int64{}
	for _, e := range f.Events {
		ids[e.ID+":"+e.Param("message")] += e.Count
		if !utf8Valid(e.Text) {
			t.Errorf("invalid UTF-8 in %q", e.Text)
		}
	}
	if ids["log.error:after the long line"] != 1 {
		t.Errorf("the record after the 100 MB line was lost: %v", ids)
	}
	if n := ids["log.error:in the gzip"]; n == 0 || n >= 2000 {
		t.Errorf("truncated gzip: %d records read, want the readable part", n)
	}
	if grown := int64(after.HeapInuse) - int64(before.HeapInuse); grown > 48<<20 {
		t.Errorf("heap grew by %d MiB", grown>>20)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

func TestRotatedOrder(t *testing.T) {
	names := []string{"hub.log", "hub.log.1", "hub.log.2.gz", "other.log", "hub.log.10.gz"}
	orderRotated(names)
	want := "hub.log.10.gz hub.log.2.gz hub.log.1 hub.log other.log"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("order %s, want %s", got, want)
	}
}

func TestProgress(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "hub.log", bytes.Repeat([]byte("[I 2024-01-01 10:00:00.000 JupyterHub log:1] 200 GET / (@1.2.3.4) 1.00ms\n"), 1000))
	var out bytes.Buffer
	pr := &lockedWriter{w: &out}
	collect(t, Options{Paths: []string{p}, Progress: pr, ProgressThreshold: 1})
	// The progress line is cleared at the end.
	if !strings.HasSuffix(pr.String(), "\r\x1b[K") {
		t.Errorf("progress output %q", pr.String())
	}
	out.Reset()
	collect(t, Options{Paths: []string{p}, Progress: pr})
	if pr.String() != "" {
		t.Errorf("progress shown for a small input: %q", pr.String())
	}
}

type lockedWriter struct {
	w io.Writer
	b bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) { return l.b.Write(p) }
func (l *lockedWriter) String() string              { s := l.b.String(); l.b.Reset(); return s }

// FuzzParseLine checks that the line parser and the scanner never panic
// and keep their invariants on arbitrary input.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		"[W 2024-05-29 16:27:54.815 JupyterHub auth:166] x is deprecated in JupyterHub 1.2, use y",
		"Jun  6 13:51:39 host jupyterhub[28961]: [I 2024-05-29 16:27:54.815 JupyterHub app:1] hi",
		"jupyterhub  | 2024-05-29T16:27:54.815Z [E 2024-05-29 16:27:54.815 JupyterHub log:1] 500 GET / (@1) 1ms",
		`{"log":"[I 2024-05-29 16:27:54.815 JupyterHub app:1] Running JupyterHub version 5.5.1\n","time":"2024-05-29T16:27:54Z"}`,
		"2026-11-25T12:09:38.351Z [ConfigProxy] \x1b[31merror\x1b[39m: 503 GET /user/a x",
		"\x1b[33m[W 2024-05-29T16:27:54.815 JupyterHub app:1]\x1b[0m Traceback (most recent call last):",
		"Found database schema version a != b. Backup your database and run `jupyterhub upgrade-db` to upgrade to the latest schema.",
		"[pod/hub/hub] [C", "[", "{", "\x00\xff",
		"[W 2024-05-29 16:27:54.815 JupyterHub app:1] JupyterHub.x is deprecated as of 0.9. Use ",
		"[W 2024-05-29 16:27:54.815 JupyterHub app:1] a.b is pending deprecation since JupyterHub version 1.  Consider using ",
	} {
		f.Add([]byte(s))
	}
	m := newMatcher(kb.MustLoad())
	f.Fuzz(func(t *testing.T, b []byte) {
		var l line
		var scratch []byte
		parseLine(b, &l, &scratch)
		if len(l.msg) > len(b)+len(scratch) {
			t.Fatalf("message longer than the line")
		}
		facts := &Facts{}
		s := newScanner(m, facts)
		s.startFile("fuzz")
		for _, ln := range bytes.Split(b, []byte("\n")) {
			s.add(ln)
		}
		s.endFile()
		for _, e := range s.order {
			if e.Count < 1 || e.First.Line < 1 || e.First.Line > facts.Lines {
				t.Fatalf("bad event %+v", e)
			}
		}
	})
}

// TestTwinsByVersion: a text printed by two source versions gets the id of
// the one the running release prints.
func TestTwinsByVersion(t *testing.T) {
	for v, want := range map[string]string{"5.5.1": "version.singleuser_start.b", "1.1.0": "version.singleuser_start.a"} {
		log := "[I 2024-01-01 10:00:00.000 JupyterHub app:1] Running JupyterHub version " + v + "\n" +
			"[I 2024-01-01 10:00:01.000 SingleUserNotebookApp mixins:646] Starting jupyterhub-singleuser server version " + v + "\n"
		f := collect(t, Options{Paths: []string{"-"}, Stdin: strings.NewReader(log)})
		if len(f.Events) != 2 || f.Events[1].ID != want {
			t.Errorf("%s: %v, want %s", v, summary(f), want)
		}
	}
}
