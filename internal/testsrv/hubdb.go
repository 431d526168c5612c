package testsrv

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// SchemaDir returns kb/facts/schema of the repository: the real DDL of
// several JupyterHub releases.
func SchemaDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "kb", "facts", "schema")
}

// schemaKind maps a dialect to the DDL file suffix.
func schemaKind(dialect string) string {
	switch dialect {
	case "postgresql":
		return "pg"
	case "mysql", "mariadb":
		return "mysql"
	}
	return "sqlite"
}

// SchemaVersions lists the JupyterHub versions with DDL for a dialect
// ("sqlite", "postgresql", "mysql").
func SchemaVersions(dialect string) []string {
	ms, _ := filepath.Glob(filepath.Join(SchemaDir(), "jupyterhub-*."+schemaKind(dialect)+".sql"))
	var out []string
	for _, m := range ms {
		b := filepath.Base(m)
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(b, "jupyterhub-"), "."+schemaKind(dialect)+".sql"))
	}
	sort.Strings(out)
	return out
}

// CreateHubSchema creates the tables that JupyterHub version created on
// this dialect, from the real DDL, and stamps alembic_version with rev
// (for SQLite, rev "" means the revision recorded in the DDL file; "-"
// means no stamp row at all).
func CreateHubSchema(tb testing.TB, d *sql.DB, dialect, version, rev string) {
	tb.Helper()
	p := filepath.Join(SchemaDir(), fmt.Sprintf("jupyterhub-%s.%s.sql", version, schemaKind(dialect)))
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatalf("schema: %v", err)
	}
	text := string(b)
	switch dialect {
	case "sqlite":
		if rev == "" {
			if i := strings.Index(text, "-- alembic_version: "); i >= 0 {
				rev = strings.TrimSpace(strings.SplitN(text[i+len("-- alembic_version: "):], "\n", 2)[0])
			}
		}
		if _, err := d.Exec(text); err != nil {
			tb.Fatalf("schema %s: %v", p, err)
		}
	case "mysql", "mariadb":
		text = stripDumpData(text)
		if _, err := d.Exec(text); err != nil {
			tb.Fatalf("schema %s: %v", p, err)
		}
	default:
		for _, st := range SplitStatements(text) {
			if strings.HasPrefix(st, "SELECT pg_catalog.set_config") {
				continue // would empty search_path for the session
			}
			if _, err := d.Exec(st); err != nil {
				tb.Fatalf("schema %s: %v\n%s", p, err, st)
			}
		}
	}
	if rev != "" && rev != "-" {
		if _, err := d.Exec("INSERT INTO alembic_version (version_num) VALUES ("+ph(dialect, 1)+")", rev); err != nil {
			tb.Fatalf("stamping %s: %v", rev, err)
		}
	}
}

func ph(dialect string, n int) string {
	if dialect == "postgresql" {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

// NamedServer is a named server in a Hub.
type NamedServer struct {
	User, Name string
	Running    bool
}

// Hub describes the rows to put in a test database, the way a running
// hub leaves them.
type Hub struct {
	Users  []string
	Admins []string
	// Groups maps group names to member user names.
	Groups map[string][]string
	Roles  []string
	// Services are registered from the config; APIServices through the
	// REST API (from_config false, where the column exists).
	Services    []string
	APIServices []string
	// TokensPerUser API tokens per user; ExpiredTokens of them (on the
	// first user) have expired; ServiceTokens per service.
	TokensPerUser int
	ExpiredTokens int
	ServiceTokens int
	// Running users have their default server running.
	Running []string
	Named   []NamedServer
}

// RealisticHub is a small hub: 6 users (2 admins), 2 groups, the default
// roles, a config service and an API-registered service, user and
// service tokens (one expired), 2 running servers and named servers with
// valid and invalid (JupyterHub 6) names.
func RealisticHub() Hub {
	return Hub{
		Users:         []string{"alice", "bob", "carol", "dave", "erin", "frank"},
		Admins:        []string{"alice", "bob"},
		Groups:        map[string][]string{"students": {"carol", "dave", "erin"}, "staff": {"alice", "bob"}},
		Roles:         []string{"user", "admin", "server", "token"},
		Services:      []string{"announcement"},
		APIServices:   []string{"grader"},
		TokensPerUser: 2,
		ExpiredTokens: 1,
		ServiceTokens: 1,
		Running:       []string{"alice", "carol"},
		Named: []NamedServer{
			{User: "alice", Name: "gpu-1", Running: true},
			{User: "bob", Name: "My Project"},
			{User: "dave", Name: "2024_course"},
			{User: "erin", Name: "analysis"},
		},
	}
}

// columns returns the columns of a table (nil if it does not exist).
func columns(tb testing.TB, d *sql.DB, dialect, table string) map[string]bool {
	tb.Helper()
	var q string
	switch dialect {
	case "sqlite":
		q = "SELECT name FROM pragma_table_info(?)"
	case "postgresql":
		q = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1"
	default:
		q = "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"
	}
	rows, err := d.Query(q, table)
	if err != nil {
		tb.Fatalf("columns of %s: %v", table, err)
	}
	defer rows.Close()
	var out map[string]bool
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			tb.Fatal(err)
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[c] = true
	}
	return out
}

type inserter struct {
	tb      testing.TB
	d       *sql.DB
	tx      *sql.Tx
	dialect string
	cols    map[string]map[string]bool
}

// add inserts a row, keeping only the columns the table has; it does
// nothing when the table does not exist.
func (in *inserter) add(table string, row map[string]any) {
	in.tb.Helper()
	cols, ok := in.cols[table]
	if !ok {
		in.tb.Fatalf("populate: table %s not prefetched", table)
	}
	if cols == nil {
		return
	}
	var names, phs []string
	var args []any
	keys := make([]string, 0, len(row))
	for k := range row {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !cols[k] {
			continue
		}
		names = append(names, quoteIdent(in.dialect, k))
		phs = append(phs, ph(in.dialect, len(phs)+1))
		args = append(args, row[k])
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", quoteIdent(in.dialect, table), strings.Join(names, ", "), strings.Join(phs, ", "))
	if _, err := in.tx.Exec(q, args...); err != nil {
		in.tb.Fatalf("%s: %v", q, err)
	}
}

func quoteIdent(dialect, id string) string {
	if dialect == "mysql" || dialect == "mariadb" {
		return "`" + id + "`"
	}
	return `"` + id + `"`
}

// Populate inserts the hub's rows into a database created by
// CreateHubSchema, using only the tables and columns that release has.
func Populate(tb testing.TB, d *sql.DB, dialect string, h Hub) {
	tb.Helper()
	if dialect == "mariadb" {
		dialect = "mysql"
	}
	in := &inserter{tb: tb, d: d, dialect: dialect, cols: map[string]map[string]bool{}}
	// Column lists are read before the transaction (a SQLite test handle
	// has one connection).
	for _, t := range []string{"users", "servers", "spawners", "groups", "user_group_map", "roles", "user_role_map", "services", "api_tokens", "oauth_clients"} {
		in.cols[t] = columns(tb, d, dialect, t)
	}
	tx, err := d.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	in.tx = tx
	const ts = "2024-05-02 10:11:12"
	const future, past = "2030-01-01 00:00:00", "2020-01-01 00:00:00"
	isAdmin := map[string]bool{}
	for _, a := range h.Admins {
		isAdmin[a] = true
	}
	userID := map[string]int{}
	for i, u := range h.Users {
		userID[u] = i + 1
		in.add("users", map[string]any{"id": i + 1, "name": u, "admin": isAdmin[u], "created": ts, "last_activity": ts,
			"cookie_id": fmt.Sprintf("c0ffee%02d-0000-4000-8000-%012d", i, i), "state": "{}"})
	}
	running := map[string]bool{}
	for _, u := range h.Running {
		running[u] = true
	}
	serverID, spawnerID := 0, 0
	addSpawner := func(user, name string, run bool) {
		var sid any
		state := "{}"
		if run {
			serverID++
			sid = serverID
			state = fmt.Sprintf(`{"pid": %d}`, 4000+serverID)
			prefix := "/user/" + user + "/"
			if name != "" {
				prefix += name + "/"
			}
			in.add("servers", map[string]any{"id": serverID, "proto": "http", "ip": "127.0.0.1", "port": 50000 + serverID,
				"base_url": prefix, "cookie_name": "jupyterhub-user-" + user})
		}
		spawnerID++
		client := "jupyterhub-user-" + user
		if name != "" {
			client += "-" + name
		}
		in.add("oauth_clients", map[string]any{"id": spawnerID, "identifier": client, "description": "Server at /user/" + user + "/",
			"secret": "hashed-secret", "redirect_uri": "/user/" + user + "/oauth_callback", "allowed_scopes": "[]"})
		in.add("spawners", map[string]any{"id": spawnerID, "user_id": userID[user], "server_id": sid, "state": state, "name": name,
			"started": map[bool]any{true: ts, false: nil}[run], "last_activity": ts, "user_options": "{}", "oauth_client_id": client})
	}
	for _, u := range h.Users {
		addSpawner(u, "", running[u])
	}
	for _, n := range h.Named {
		addSpawner(n.User, n.Name, n.Running)
	}
	groupNames := make([]string, 0, len(h.Groups))
	for g := range h.Groups {
		groupNames = append(groupNames, g)
	}
	sort.Strings(groupNames)
	for i, g := range groupNames {
		in.add("groups", map[string]any{"id": i + 1, "name": g, "properties": "{}"})
		for _, m := range h.Groups[g] {
			in.add("user_group_map", map[string]any{"user_id": userID[m], "group_id": i + 1})
		}
	}
	for i, r := range h.Roles {
		in.add("roles", map[string]any{"id": i + 1, "name": r, "description": r + " role", "scopes": "[]", "managed_by_auth": false})
	}
	if len(h.Roles) > 0 {
		for _, u := range h.Users {
			in.add("user_role_map", map[string]any{"user_id": userID[u], "role_id": 1, "managed_by_auth": false})
		}
	}
	tokenID := 0
	addToken := func(user, service any, expires any) {
		tokenID++
		in.add("api_tokens", map[string]any{"id": tokenID, "user_id": user, "service_id": service,
			"hashed": fmt.Sprintf("sha512:16384:%064x", tokenID), "prefix": fmt.Sprintf("t%03d", tokenID), "created": ts,
			"expires_at": expires, "last_activity": ts, "note": "test token", "scopes": `["inherit"]`, "session_id": nil})
	}
	for i, s := range append(append([]string{}, h.Services...), h.APIServices...) {
		fromConfig := i < len(h.Services)
		in.add("services", map[string]any{"id": i + 1, "name": s, "admin": false, "from_config": fromConfig, "display": true, "oauth_no_confirm": false})
		for j := 0; j < h.ServiceTokens; j++ {
			addToken(nil, i+1, nil)
		}
	}
	for ui, u := range h.Users {
		for j := 0; j < h.TokensPerUser; j++ {
			var exp any = future
			if ui == 0 && j < h.ExpiredTokens {
				exp = past
			}
			addToken(userID[u], nil, exp)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// NewSQLiteHub creates a SQLite database at path with version's schema,
// stamped rev ("" = the DDL's own revision, "-" = no stamp), and h's rows.
func NewSQLiteHub(tb testing.TB, path, version, rev string, h Hub) {
	tb.Helper()
	// A file: URI, so that any character in the path is taken literally.
	d, err := sql.Open("sqlite", (&url.URL{Scheme: "file", OmitHost: true, Path: path}).String())
	if err != nil {
		tb.Fatal(err)
	}
	defer d.Close()
	d.SetMaxOpenConns(1)
	CreateHubSchema(tb, d, "sqlite", version, rev)
	Populate(tb, d, "sqlite", h)
}

// stripDumpData removes the data sections (LOCK TABLES ... UNLOCK TABLES)
// of a mysqldump file: the shared DDL files had their INSERT lines removed
// but still hold the row tuples that followed them.
func stripDumpData(text string) string {
	var out []string
	skip := false
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "LOCK TABLES "):
			skip = true
		case strings.HasPrefix(line, "UNLOCK TABLES"):
			skip = false
			continue
		}
		if !skip {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
