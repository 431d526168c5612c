package db

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// bigHub builds a SQLite database with the 5.5.1 schema holding 100,000
// users, 200,000 API tokens and 50,000 servers (half of them running and
// a fifth named), in one transaction with prepared inserts.
func bigHub(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	path := filepath.Join(dir, "jupyterhub.sqlite")
	d, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	d.SetMaxOpenConns(1)
	testsrvSchema(b, d)
	tx, err := d.Begin()
	if err != nil {
		b.Fatal(err)
	}
	must := func(st *sql.Stmt, err error) *sql.Stmt {
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	users := must(tx.Prepare("INSERT INTO users (id, name, admin, created, last_activity, cookie_id, state) VALUES (?, ?, ?, '2024-01-01 00:00:00', '2024-01-01 00:00:00', ?, '{}')"))
	servers := must(tx.Prepare("INSERT INTO servers (id, proto, ip, port, base_url, cookie_name) VALUES (?, 'http', '127.0.0.1', ?, ?, 'c')"))
	spawners := must(tx.Prepare("INSERT INTO spawners (id, user_id, server_id, state, name, started, last_activity, user_options) VALUES (?, ?, ?, '{}', ?, NULL, '2024-01-01 00:00:00', '{}')"))
	tokens := must(tx.Prepare("INSERT INTO api_tokens (id, user_id, hashed, prefix, created, expires_at, note, scopes) VALUES (?, ?, ?, ?, '2024-01-01 00:00:00', ?, 'n', '[\"inherit\"]')"))
	for i := 1; i <= 100000; i++ {
		if _, err := users.Exec(i, fmt.Sprintf("user%06d", i), i%1000 == 0, fmt.Sprintf("cookie-%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	for i := 1; i <= 50000; i++ {
		var sid any
		if i%2 == 0 {
			if _, err := servers.Exec(i, 40000+i%20000, fmt.Sprintf("/user/user%06d/", i)); err != nil {
				b.Fatal(err)
			}
			sid = i
		}
		name := ""
		if i%5 == 0 {
			name = fmt.Sprintf("srv-%d", i)
			if i%15 == 0 {
				name = fmt.Sprintf("Bad_Name %d", i)
			}
		}
		if _, err := spawners.Exec(i, i, sid, name); err != nil {
			b.Fatal(err)
		}
	}
	for i := 1; i <= 200000; i++ {
		var exp any
		if i%10 == 0 {
			exp = "2020-01-01 00:00:00"
		}
		if _, err := tokens.Exec(i, 1+i%100000, fmt.Sprintf("sha512:%064x", i), fmt.Sprintf("%04x", i%65536), exp); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkCollectSQLiteLarge measures a full audit of the large database
// (counts in SQL, rows never loaded; the named-server names are streamed
// one at a time).
func BenchmarkCollectSQLiteLarge(b *testing.B) {
	dir := bigHub(b)
	users := []string{"user000001", "user000002"}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := Collect(ctx, Options{Dir: dir, ConfigUsers: users})
		if err != nil {
			b.Fatal(err)
		}
		if f.Counts["users"] != 100000 || f.Counts["api_tokens"] != 200000 || f.Counts["spawners"] != 50000 || f.Counts["servers_running"] != 25000 {
			b.Fatalf("counts %v", f.Counts)
		}
	}
}

// BenchmarkCollectSQLiteSmall is the same audit on the realistic small hub,
// to show that time and memory grow with the file, not with loaded rows.
func BenchmarkCollectSQLiteSmall(b *testing.B) {
	dir := b.TempDir()
	testsrvHub(b, dir)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Collect(ctx, Options{Dir: dir, ConfigUsers: configUsers}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCollectSQLiteLargeNoIntegrity is the large audit without
// PRAGMA quick_check (Options.SkipIntegrityCheck).
func BenchmarkCollectSQLiteLargeNoIntegrity(b *testing.B) {
	dir := bigHub(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := Collect(ctx, Options{Dir: dir, ConfigUsers: []string{"user000001", "user000002"}, SkipIntegrityCheck: true})
		if err != nil {
			b.Fatal(err)
		}
		if *f.UsersNotInConfig != 99998 || f.InvalidServerNames != 3333 {
			b.Fatalf("users not in config %d, invalid names %d", *f.UsersNotInConfig, f.InvalidServerNames)
		}
	}
}
