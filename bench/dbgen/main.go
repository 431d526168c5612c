// Command dbgen writes a large JupyterHub 5.5.1 SQLite database for the
// database benchmarks: the real DDL from kb/facts/schema, then users,
// servers (half running, a fifth named, some names invalid in JupyterHub
// 6) and API tokens (a tenth expired), in one transaction.
//
//	go run ./bench/dbgen -o /tmp/big.sqlite -users 100000 -tokens 200000 -servers 50000
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"

	_ "modernc.org/sqlite"
)

func main() {
	out := flag.String("o", "", "output `FILE` (must not exist)")
	schema := flag.String("schema", "kb/facts/schema/jupyterhub-5.5.1.sqlite.sql", "DDL `FILE`")
	users := flag.Int("users", 100000, "users")
	tokens := flag.Int("tokens", 200000, "API tokens")
	servers := flag.Int("servers", 50000, "servers (spawners)")
	flag.Parse()
	if err := run(*out, *schema, *users, *tokens, *servers); err != nil {
		fmt.Fprintln(os.Stderr, "dbgen:", err)
		os.Exit(1)
	}
}

func run(out, schema string, users, tokens, servers int) error {
	if out == "" {
		return fmt.Errorf("-o is required")
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists", out)
	}
	ddl, err := os.ReadFile(schema)
	if err != nil {
		return err
	}
	d, err := sql.Open("sqlite", (&url.URL{Scheme: "file", OmitHost: true, Path: out}).String())
	if err != nil {
		return err
	}
	defer d.Close()
	d.SetMaxOpenConns(1)
	if _, err := d.Exec(string(ddl)); err != nil {
		return err
	}
	if _, err := d.Exec("INSERT INTO alembic_version VALUES ('4621fec11365')"); err != nil {
		return err
	}
	tx, err := d.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins := func(q string, n int, args func(i int) []any) error {
		st, err := tx.Prepare(q)
		if err != nil {
			return err
		}
		defer st.Close()
		for i := 1; i <= n; i++ {
			if _, err := st.Exec(args(i)...); err != nil {
				return err
			}
		}
		return nil
	}
	if err := ins("INSERT INTO users (id, name, admin, created, last_activity, cookie_id, state) VALUES (?, ?, ?, '2024-01-01 00:00:00', '2024-01-01 00:00:00', ?, '{}')", users,
		func(i int) []any {
			return []any{i, fmt.Sprintf("user%07d", i), i%1000 == 0, fmt.Sprintf("cookie-%d", i)}
		}); err != nil {
		return err
	}
	if err := ins("INSERT INTO servers (id, proto, ip, port, base_url, cookie_name) VALUES (?, 'http', '127.0.0.1', ?, ?, 'c')", servers/2,
		func(i int) []any { return []any{i, 40000 + i%20000, fmt.Sprintf("/user/user%07d/", 2*i)} }); err != nil {
		return err
	}
	if err := ins("INSERT INTO spawners (id, user_id, server_id, state, name, last_activity, user_options) VALUES (?, ?, ?, '{}', ?, '2024-01-01 00:00:00', '{}')", servers,
		func(i int) []any {
			var sid any
			if i%2 == 0 {
				sid = i / 2
			}
			name := ""
			if i%5 == 0 {
				name = fmt.Sprintf("srv-%d", i)
				if i%15 == 0 {
					name = fmt.Sprintf("Bad_Name %d", i)
				}
			}
			return []any{i, 1 + (i-1)%users, sid, name}
		}); err != nil {
		return err
	}
	if err := ins("INSERT INTO api_tokens (id, user_id, hashed, prefix, created, expires_at, note, scopes) VALUES (?, ?, ?, ?, '2024-01-01 00:00:00', ?, 'n', '[\"inherit\"]')", tokens,
		func(i int) []any {
			var exp any
			if i%10 == 0 {
				exp = "2020-01-01 00:00:00"
			}
			return []any{i, 1 + i%users, fmt.Sprintf("sha512:%064x", i), fmt.Sprintf("%04x", i%65536), exp}
		}); err != nil {
		return err
	}
	return tx.Commit()
}
