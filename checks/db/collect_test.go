package db

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hubaudit/hubaudit/checks"
	"github.com/hubaudit/hubaudit/internal/testsrv"
	"github.com/hubaudit/hubaudit/kb"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	testsrv.StopAll()
	os.Exit(code)
}

// pinned is the collection time of the golden tests.
var pinned = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// configUsers are the allowed_users ∪ admin_users of the test config.
var configUsers = []string{"alice", "bob", "carol"}

// normalized returns facts as golden JSON, without what depends on the
// machine (paths, free space, owner, library version).
func normalized(t *testing.T, f *Facts) []byte {
	t.Helper()
	c := *f
	c.ServerVersion = ""
	if c.SQLite != nil {
		s := *c.SQLite
		s.Path = filepath.Base(s.Path)
		s.FreeBytes, s.OwnerUID = 0, 0
		c.SQLite = &s
	}
	b, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("..", "..", "testdata", "db", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden (run with -update to accept):\n--- got\n%s", name, got)
	}
}

func newHub(t *testing.T, version, rev string) string {
	t.Helper()
	dir := t.TempDir()
	testsrv.NewSQLiteHub(t, filepath.Join(dir, "jupyterhub.sqlite"), version, rev, testsrv.RealisticHub())
	return dir
}

// TestSQLiteReleases builds a populated database from the real DDL of
// every release with SQLite DDL and compares the facts with golden files.
func TestSQLiteReleases(t *testing.T) {
	k := kb.MustLoad()
	versions := testsrv.SchemaVersions("sqlite")
	if len(versions) < 6 {
		t.Fatalf("want 6 sqlite schemas, found %v", versions)
	}
	for _, v := range versions {
		t.Run(v, func(t *testing.T) {
			dir := newHub(t, v, "")
			f, err := Collect(context.Background(), Options{Dir: dir, KB: k, ConfigUsers: configUsers, Now: pinned})
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := k.Release(v)
			if f.Revision != rel.AlembicHead || !f.RevisionKnown {
				t.Errorf("revision %q (known %v), want %s's head %s", f.Revision, f.RevisionKnown, v, rel.AlembicHead)
			}
			if !contains(f.JupyterHubVersions, v) {
				t.Errorf("jupyterhub_versions %v lacks %s", f.JupyterHubVersions, v)
			}
			want := map[string]int64{"users": 6, "admins": 2, "groups": 2, "spawners": 10, "servers_running": 3,
				"named_servers": 4, "named_servers_running": 1, "api_tokens": 14, "user_tokens": 12, "service_tokens": 2,
				"expired_tokens": 1, "services": 2, "oauth_clients": 10}
			for k, n := range want {
				if f.Counts[k] != n {
					t.Errorf("count %s = %d, want %d", k, f.Counts[k], n)
				}
			}
			if f.UsersNotInConfig == nil || *f.UsersNotInConfig != 3 || !reflect.DeepEqual(f.UsersNotInConfigExamples, []string{"dave", "erin", "frank"}) {
				t.Errorf("users not in config: %v %v", f.UsersNotInConfig, f.UsersNotInConfigExamples)
			}
			if f.InvalidServerNames != 2 || !reflect.DeepEqual(f.InvalidServerNamesExamples, []string{"2024_course", "My Project"}) {
				t.Errorf("invalid server names: %d %q", f.InvalidServerNames, f.InvalidServerNamesExamples)
			}
			if f.SQLite.IntegrityCheck != "ok" || f.SQLite.JournalMode != "delete" || f.Empty || len(f.MissingTables) != 0 {
				t.Errorf("sqlite facts: %+v empty=%v missing=%v", f.SQLite, f.Empty, f.MissingTables)
			}
			golden(t, "collect-"+v+".sqlite.json", normalized(t, f))
		})
	}
}

// TestRealFixtures checks the collector against databases made by real
// running hubs (testdata/fixtures/db).
func TestRealFixtures(t *testing.T) {
	for name, rev := range map[string]string{"jupyterhub-3.0.0.sqlite": "651f5419b74d", "jupyterhub-5.5.1.sqlite": "4621fec11365"} {
		src := filepath.Join("..", "..", "testdata", "fixtures", "db", name)
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "hub.sqlite"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := Collect(context.Background(), Options{URL: "hub.sqlite", Dir: dir})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The fixture README: 5 users (1 admin), 2 groups, 6 roles, 6
		// api_tokens, 1 service, 5 spawners of which 1 running, 3 oauth_clients.
		want := map[string]int64{"users": 5, "admins": 1, "groups": 2, "roles": 6, "api_tokens": 6, "services": 1, "spawners": 5, "servers_running": 1, "oauth_clients": 3}
		for k, n := range want {
			if f.Counts[k] != n {
				t.Errorf("%s: %s = %d, want %d", name, k, f.Counts[k], n)
			}
		}
		if f.Revision != rev {
			t.Errorf("%s: revision %s, want %s", name, f.Revision, rev)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestSQLiteProblems(t *testing.T) {
	ctx := context.Background()
	t.Run("default-absent", func(t *testing.T) {
		_, err := Collect(ctx, Options{Dir: t.TempDir()})
		var abs *checks.AbsentError
		if !errors.As(err, &abs) {
			t.Fatalf("err = %v, want checks.Absent", err)
		}
	})
	t.Run("explicit-missing", func(t *testing.T) {
		_, err := Collect(ctx, Options{URL: "sqlite:///nope.sqlite", Dir: t.TempDir()})
		var abs *checks.AbsentError
		if err == nil || errors.As(err, &abs) || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("err = %v, want a failure naming the missing file", err)
		}
	})
	t.Run("empty-file", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "jupyterhub.sqlite"), nil, 0o600)
		f, err := Collect(ctx, Options{Dir: dir})
		if err != nil || !f.Empty || f.Revision != "" {
			t.Fatalf("f=%+v err=%v, want empty", f, err)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("files created next to the empty database: %v", ents)
		}
	})
	t.Run("not-a-database", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "jupyterhub.sqlite"), bytes.Repeat([]byte("not sqlite\n"), 20), 0o600)
		_, err := Collect(ctx, Options{Dir: dir})
		if err == nil || !strings.Contains(err.Error(), "is not a SQLite database") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		os.Mkdir(filepath.Join(dir, "jupyterhub.sqlite"), 0o700)
		_, err := Collect(ctx, Options{Dir: dir})
		if err == nil || !strings.Contains(err.Error(), "is a directory") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("in-memory", func(t *testing.T) {
		_, err := Collect(ctx, Options{URL: "sqlite://"})
		if err == nil || !strings.Contains(err.Error(), "in-memory") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("no-alembic-version", func(t *testing.T) {
		dir := newHub(t, "1.5.1", "")
		dropTable(t, filepath.Join(dir, "jupyterhub.sqlite"), "alembic_version")
		f, err := Collect(ctx, Options{Dir: dir})
		if err != nil || f.HasAlembicTable || f.Revision != "" || !reflect.DeepEqual(f.GuessedVersions, []string{"0.8.dev"}) {
			t.Fatalf("f=%+v err=%v", f, err)
		}
	})
	t.Run("unknown-revision", func(t *testing.T) {
		dir := newHub(t, "5.5.1", "0123456789ab")
		f, err := Collect(ctx, Options{Dir: dir})
		if err != nil || f.Revision != "0123456789ab" || f.RevisionKnown || f.RevisionUnreleased || len(f.JupyterHubVersions) != 0 {
			t.Fatalf("f=%+v err=%v", f, err)
		}
	})
	t.Run("unreleased-revision", func(t *testing.T) {
		dir := newHub(t, "1.5.1", "26fc487e2b43")
		f, err := Collect(ctx, Options{Dir: dir})
		if err != nil || f.RevisionKnown || !f.RevisionUnreleased {
			t.Fatalf("f=%+v err=%v", f, err)
		}
	})
	t.Run("missing-table", func(t *testing.T) {
		dir := newHub(t, "4.1.6", "")
		dropTable(t, filepath.Join(dir, "jupyterhub.sqlite"), "api_tokens")
		f, err := Collect(ctx, Options{Dir: dir})
		if err != nil || !reflect.DeepEqual(f.MissingTables, []string{"api_tokens"}) {
			t.Fatalf("missing=%v err=%v", f.MissingTables, err)
		}
		if _, ok := f.Counts["api_tokens"]; ok {
			t.Errorf("api_tokens counted although the table is missing")
		}
	})
	t.Run("canceled", func(t *testing.T) {
		dir := newHub(t, "5.5.1", "")
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := Collect(cctx, Options{Dir: dir}); err == nil {
			t.Fatal("no error with a canceled context")
		}
	})
}

func dropTable(t *testing.T, path, table string) {
	t.Helper()
	d, err := sqlOpen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec("DROP TABLE " + table); err != nil {
		t.Fatal(err)
	}
}

func TestBackups(t *testing.T) {
	dir := newHub(t, "3.0.0", "")
	db := filepath.Join(dir, "jupyterhub.sqlite")
	old := newHub(t, "1.5.1", "")
	b, _ := os.ReadFile(filepath.Join(old, "jupyterhub.sqlite"))
	local := pinned.In(time.Local)
	names := []string{
		db + local.Add(-72*time.Hour).Format(".2006-01-02-150405"),
		db + local.Add(-2*time.Hour).Format("..2006-01-02-150405") + ".1",
		db + ".bak",
	}
	for _, n := range names {
		os.WriteFile(n, b, 0o600)
	}
	f, err := Collect(context.Background(), Options{Dir: dir, Now: pinned})
	if err != nil {
		t.Fatal(err)
	}
	bs := f.SQLite.Backups
	if len(bs) != 2 || bs[0].Path != names[1] || bs[0].AgeHours != 2 || bs[0].Revision != "4dc2d5a8c53c" || bs[1].AgeHours != 72 {
		t.Fatalf("backups = %+v", bs)
	}
}

func TestSortedKeys(t *testing.T) {
	u, _ := ParseURL("postgresql://h/d?b=1&a=2")
	if got := slices.Sorted(maps.Keys(u.Query)); !sort.StringsAreSorted(got) || len(got) != 2 {
		t.Errorf("sortedKeys = %v", got)
	}
}

// TestSQLiteURLForms reads the same file through every form db_url may
// take, including a path with spaces, '#' and '%' ('?' cannot be written
// in a SQLAlchemy URL path).
func TestSQLiteURLForms(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "hub dir #1 %41")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	testsrv.NewSQLiteHub(t, filepath.Join(dir, "jh.sqlite"), "3.1.1", "", testsrv.RealisticHub())
	for _, o := range []Options{
		{URL: "jh.sqlite", Dir: dir},
		{URL: "sqlite:///jh.sqlite", Dir: dir},
		{URL: "sqlite:///" + filepath.Join(dir, "jh.sqlite")},
		{URL: filepath.Join(dir, "jh.sqlite")},
	} {
		f, err := Collect(context.Background(), o)
		if err != nil {
			t.Errorf("%q: %v", o.URL, err)
			continue
		}
		if f.Counts["users"] != 6 || f.SQLite.Path != filepath.Join(dir, "jh.sqlite") {
			t.Errorf("%q: users %d path %s", o.URL, f.Counts["users"], f.SQLite.Path)
		}
	}
}

func TestInvalidRunningNames(t *testing.T) {
	dir := t.TempDir()
	h := testsrv.RealisticHub()
	h.Named = append(h.Named, testsrv.NamedServer{User: "carol", Name: "Bad Name", Running: true}, testsrv.NamedServer{User: "carol", Name: "fine-1", Running: true})
	testsrv.NewSQLiteHub(t, filepath.Join(dir, "jupyterhub.sqlite"), "5.5.1", "", h)
	f, err := Collect(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if f.InvalidServerNames != 3 || f.InvalidServerNamesRunning != 1 || f.Counts["named_servers_running"] != 3 ||
		!reflect.DeepEqual(f.InvalidServerNamesExamples, []string{"2024_course", "Bad Name", "My Project"}) {
		t.Fatalf("invalid %d running %d named running %d examples %q", f.InvalidServerNames, f.InvalidServerNamesRunning, f.Counts["named_servers_running"], f.InvalidServerNamesExamples)
	}
}
