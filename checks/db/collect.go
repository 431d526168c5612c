package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/hubaudit/hubaudit/checks"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
)

// DefaultURL is JupyterHub's default db_url.
const DefaultURL = "sqlite:///jupyterhub.sqlite"

// DefaultTimeout is the connect timeout when Options.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Options says which database to read and how.
type Options struct {
	// URL is the SQLAlchemy URL as JupyterHub writes it, or a bare sqlite
	// path; "" means sqlite:///jupyterhub.sqlite in Dir, and when that
	// file does not exist Collect returns checks.Absent.
	URL string
	// Dir is the base for relative sqlite paths (the hub's working dir).
	Dir string
	// Timeout bounds connecting (0 = DefaultTimeout).
	Timeout time.Duration
	// KB resolves the revision to releases (nil = the embedded one).
	KB *kb.KB
	// ConfigUsers are allowed_users ∪ admin_users from the config when
	// they are literal, to count users added outside the config; nil
	// when unknown.
	ConfigUsers []string
	// Now is the collection time (zero = time.Now()); tests pin it.
	Now time.Time
	// ServerNames loads every user's name and servers (Facts.ServerNames).
	ServerNames bool
	// SkipIntegrityCheck leaves out SQLite's PRAGMA quick_check, which
	// reads the whole file (about 0.1-0.2 s for a 40 MB database); the
	// fact is then "skipped".
	SkipIntegrityCheck bool
	// BackupDirs are `hubaudit backup` directories named by a flag, looked
	// at besides the subfolders of Dir and of the SQLite file's folder.
	BackupDirs []string
	// CookieSecretFile is, for Backup only, the cookie secret file to
	// copy too ("" = none: it is only copied when asked for).
	CookieSecretFile string
}

func (o *Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

func (o *Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

// Collect reads the database named by opts read-only and describes it.
// A database that was not given and does not exist gives checks.Absent;
// a database that cannot be opened or read gives another error (never
// carrying the password).
func Collect(ctx context.Context, opts Options) (*Facts, error) {
	k := opts.KB
	if k == nil {
		var err error
		if k, err = kb.Load(); err != nil {
			return nil, err
		}
	}
	raw := opts.URL
	if strings.TrimSpace(raw) == "" {
		raw = DefaultURL
		u, _ := ParseURL(raw)
		p := u.SQLitePath(opts.Dir)
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return nil, checks.Absent(fmt.Sprintf("no database URL given and %s does not exist", p))
		}
	}
	u, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	f := &Facts{Dialect: u.Dialect, URL: Redact(u.Raw), Scheme: u.Scheme, Driver: u.Driver, Counts: map[string]int64{}, Tables: map[string][]string{}, JupyterHubVersions: []string{}}
	s, err := open(ctx, u, &opts, f)
	switch {
	case errors.Is(err, errEmpty):
		f.Empty = true
	case err != nil:
		return nil, redactErr(err, u)
	default:
		defer s.close()
		// The SQLite integrity check scans the whole file: run it on its
		// own read-only connection while the other queries run.
		var check chan string
		if s.dsn != "" && opts.SkipIntegrityCheck {
			f.SQLite.IntegrityCheck = "skipped"
		}
		if s.dsn != "" && !opts.SkipIntegrityCheck {
			check = make(chan string, 1)
			go func() { check <- quickCheck(ctx, s.dsn) }()
		}
		err := inspect(ctx, s, &opts, f)
		if check != nil {
			f.SQLite.IntegrityCheck = <-check
		}
		if err != nil {
			return nil, redactErr(err, u)
		}
	}
	if !f.Empty {
		for _, t := range CoreTables {
			if !hasTable(f, t) {
				f.MissingTables = append(f.MissingTables, t)
			}
		}
	}
	resolve(k, f)
	f.BackupCommand = DumpCommand(u, defaultDumpName(u, f.Revision, opts.now()))
	if f.SQLite != nil {
		sqliteFileFacts(ctx, f.SQLite, opts.now())
		findHubauditBackups(ctx, f.SQLite, f.Revision, &opts)
	}
	return f, nil
}

// session is an open read-only transaction on one database.
type session struct {
	// dsn is set for SQLite: the read-only DSN, to open more connections.
	dsn     string
	dialect string
	db      *sql.DB
	tx      *sql.Tx
}

func (s *session) close() {
	if s.tx != nil {
		_ = s.tx.Rollback()
	}
	if s.db != nil {
		_ = s.db.Close()
	}
}

// quote quotes an identifier for the session's dialect (groups, user and
// others are reserved words on some servers).
func (s *session) quote(id string) string {
	if s.dialect == "mysql" {
		return "`" + strings.ReplaceAll(id, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
}

// ph returns the n-th (1-based) placeholder.
func (s *session) ph(n int) string {
	if s.dialect == "postgresql" {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

// nowUTC is a SQL expression for the current UTC time in the naive form
// JupyterHub stores its timestamps in.
func (s *session) nowUTC() string {
	switch s.dialect {
	case "postgresql":
		return "(now() AT TIME ZONE 'utc')"
	case "mysql":
		return "UTC_TIMESTAMP()"
	}
	return "datetime('now')"
}

func open(ctx context.Context, u *URL, opts *Options, f *Facts) (*session, error) {
	switch u.Dialect {
	case "sqlite":
		return openSQLite(ctx, u, opts, f)
	case "postgresql":
		return openPostgres(ctx, u, opts)
	case "mysql":
		return openMySQL(ctx, u, opts)
	}
	return nil, fmt.Errorf("unsupported dialect %s", u.Dialect)
}

// begin starts the read-only transaction that every query runs in.
func begin(ctx context.Context, db *sql.DB, dialect string, timeout time.Duration) (*session, error) {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := db.PingContext(cctx); err != nil {
		_ = db.Close()
		return nil, &connectError{err: err}
	}
	txo := &sql.TxOptions{ReadOnly: dialect != "sqlite"}
	tx, err := db.BeginTx(ctx, txo)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("cannot start a read-only transaction: %w", err)
	}
	return &session{dialect: dialect, db: db, tx: tx}, nil
}

// CoreTables are the tables every JupyterHub release since 0.9 keeps in
// its database; one missing is reported in MissingTables. (The hub
// recreates missing tables at start, with their rows lost.)
var CoreTables = []string{"users", "servers", "spawners", "services", "groups", "api_tokens", "oauth_clients", "user_group_map"}

// invalidNamesCount and invalidRunningCount are the internal count names
// of invalid server names (all, and running).
const (
	invalidNamesCount   = "invalid_server_names"
	invalidRunningCount = "invalid_server_names_running"
)

// countQueries are the row counts taken, each only when its table and
// columns exist.
var countQueries = []struct {
	name, table, where string
	needCols           []string
}{
	{"users", "users", "", nil},
	{"admins", "users", "admin = TRUE_", []string{"admin"}},
	{"groups", "groups", "", nil},
	{"roles", "roles", "", nil},
	{"services", "services", "", nil},
	{"services_not_from_config", "services", "from_config = FALSE_", []string{"from_config"}},
	{"api_tokens", "api_tokens", "", nil},
	{"user_tokens", "api_tokens", "user_id IS NOT NULL", []string{"user_id"}},
	{"service_tokens", "api_tokens", "service_id IS NOT NULL", []string{"service_id"}},
	{"expired_tokens", "api_tokens", "expires_at IS NOT NULL AND expires_at < NOW_", []string{"expires_at"}},
	{"oauth_access_tokens", "oauth_access_tokens", "", nil},
	{"oauth_clients", "oauth_clients", "", nil},
	{"spawners", "spawners", "", nil},
	{"servers_running", "spawners", "server_id IS NOT NULL", []string{"server_id"}},
	{"named_servers", "spawners", "name IS NOT NULL AND name <> ''", []string{"name"}},
	{"named_servers_running", "spawners", "name IS NOT NULL AND name <> '' AND server_id IS NOT NULL", []string{"name", "server_id"}},
	// Taken in the same scan, moved to Facts.InvalidServerNames.
	{invalidNamesCount, "spawners", "name IS NOT NULL AND name <> '' AND INVALID_", []string{"name"}},
	{invalidRunningCount, "spawners", "name IS NOT NULL AND name <> '' AND server_id IS NOT NULL AND INVALID_", []string{"name", "server_id"}},
	// COUNT(DISTINCT) rather than a condition: see countRows.
	{"services_with_tokens", "api_tokens", "", []string{"service_id"}},
	{"shares", "shares", "", nil},
	{"share_codes", "share_codes", "", nil},
}

func inspect(ctx context.Context, s *session, opts *Options, f *Facts) error {
	if err := readVersion(ctx, s, f); err != nil {
		return err
	}
	if err := readTables(ctx, s, f); err != nil {
		return err
	}
	f.Empty = len(f.Tables) == 0
	if _, ok := f.Tables["alembic_version"]; ok {
		f.HasAlembicTable = true
		rows, err := s.tx.QueryContext(ctx, "SELECT version_num FROM alembic_version")
		if err != nil {
			return fmt.Errorf("reading alembic_version: %w", err)
		}
		for rows.Next() {
			var v sql.NullString
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return fmt.Errorf("reading alembic_version: %w", err)
			}
			if v.Valid {
				f.Revisions = append(f.Revisions, v.String)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reading alembic_version: %w", err)
		}
		sort.Strings(f.Revisions)
		if len(f.Revisions) > 0 {
			f.Revision = f.Revisions[0]
		}
	} else if !f.Empty {
		// What JupyterHub itself assumes when it finds tables but no
		// alembic_version (orm.check_db_revision).
		switch {
		case hasTable(f, "spawners"):
			f.GuessedVersions = []string{"0.8.dev"}
		case hasTable(f, "services"):
			f.GuessedVersions = []string{"0.7.x"}
		default:
			f.GuessedVersions = []string{"0.6 or earlier"}
		}
	}
	if err := countRows(ctx, s, f); err != nil {
		return err
	}
	if n, ok := f.Counts[invalidNamesCount]; ok {
		f.InvalidServerNames = n
		delete(f.Counts, invalidNamesCount)
	}
	if n, ok := f.Counts[invalidRunningCount]; ok {
		f.InvalidServerNamesRunning = n
		delete(f.Counts, invalidRunningCount)
	}
	if hasTable(f, "api_tokens") && hasCols(f, "api_tokens", []string{"note", "user_id", "service_id"}) {
		if err := s.guard(ctx, func() error { return recreatedTokens(ctx, s, f) }); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			f.Warnings = append(f.Warnings, fmt.Sprintf("counting the tokens made from the config failed: %v", err))
		}
	}
	if opts.ConfigUsers != nil && hasTable(f, "users") {
		if err := s.guard(ctx, func() error { return usersNotInConfig(ctx, s, opts.ConfigUsers, f) }); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			f.Warnings = append(f.Warnings, fmt.Sprintf("comparing users with the config failed: %v", err))
		}
	}
	if opts.ServerNames && hasTable(f, "users") && hasCols(f, "users", []string{"id", "name"}) {
		if err := s.guard(ctx, func() error { return readServerNames(ctx, s, f) }); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			f.Warnings = append(f.Warnings, fmt.Sprintf("reading user and server names failed: %v", err))
		}
	}
	if hasTable(f, "spawners") && hasCols(f, "spawners", []string{"name"}) {
		if err := s.guard(ctx, func() error { return invalidServerNameExamples(ctx, s, f) }); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			f.Warnings = append(f.Warnings, fmt.Sprintf("reading server names failed: %v", err))
		}
	}
	switch s.dialect {
	case "mysql":
		if err := mysqlFacts(ctx, s, f); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			f.Warnings = append(f.Warnings, fmt.Sprintf("reading MySQL table facts failed: %v", err))
		}
	}
	return nil
}

// guard runs a query that may fail (a table the user may not read)
// without losing the transaction: PostgreSQL aborts a transaction at its
// first error, so the query runs inside a savepoint that is rolled back
// on failure.
func (s *session) guard(ctx context.Context, fn func() error) error {
	if s.dialect != "postgresql" {
		return fn()
	}
	if _, err := s.tx.ExecContext(ctx, "SAVEPOINT hubaudit_q"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := s.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT hubaudit_q"); rerr != nil {
			return fmt.Errorf("%v (and the rollback failed: %v)", err, rerr)
		}
		return err
	}
	_, err := s.tx.ExecContext(ctx, "RELEASE SAVEPOINT hubaudit_q")
	return err
}

func (s *session) boolLit(b bool) string {
	if s.dialect == "postgresql" {
		if b {
			return "true"
		}
		return "false"
	}
	if b {
		return "1"
	}
	return "0"
}

func hasTable(f *Facts, t string) bool {
	_, ok := f.Tables[t]
	return ok
}

func hasCols(f *Facts, t string, cols []string) bool {
	have := f.Tables[t]
	for _, c := range cols {
		found := false
		for _, h := range have {
			if h == c {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func readVersion(ctx context.Context, s *session, f *Facts) error {
	var q string
	switch s.dialect {
	case "sqlite":
		q = "SELECT sqlite_version()"
	case "postgresql":
		q = "SHOW server_version"
	case "mysql":
		q = "SELECT VERSION()"
	}
	if err := s.tx.QueryRowContext(ctx, q).Scan(&f.ServerVersion); err != nil {
		return fmt.Errorf("reading the server version: %w", err)
	}
	return nil
}

func readTables(ctx context.Context, s *session, f *Facts) error {
	var q string
	switch s.dialect {
	case "sqlite":
		q = `SELECT m.name, p.name FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY m.name, p.cid`
	case "postgresql":
		// pg_catalog lists every table, also those the audit user may
		// not read (information_schema hides them).
		q = `SELECT c.relname, a.attname FROM pg_catalog.pg_class AS c
			JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
			JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid
			WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
			ORDER BY c.relname, a.attnum`
	case "mysql":
		q = `SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS
			WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`
	}
	rows, err := s.tx.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("listing tables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return fmt.Errorf("listing tables: %w", err)
		}
		f.Tables[t] = append(f.Tables[t], c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("listing tables: %w", err)
	}
	return nil
}

// recreatedTokens counts, in one scan of api_tokens, the tokens whose note
// says the hub made them from its config (kb.RecreatedTokenNotes).
func recreatedTokens(ctx context.Context, s *session, f *Facts) error {
	notes := kb.RecreatedTokenNotes(pep440.Version{})
	if len(notes) == 0 {
		return nil
	}
	ph := make([]string, len(notes))
	args := make([]any, 0, 3*len(notes))
	for i := range notes {
		ph[i] = s.ph(i + 1)
	}
	in := "note IN (" + strings.Join(ph, ",") + ")"
	for _, n := range notes {
		args = append(args, n)
	}
	if s.dialect != "postgresql" {
		// "?" binds positionally, once per placeholder; PostgreSQL's
		// $1..$n are used three times.
		args = append(append(args, args...), args...)
	}
	q := "SELECT COALESCE(SUM(CASE WHEN user_id IS NOT NULL AND " + in + " THEN 1 ELSE 0 END), 0), " +
		"COALESCE(SUM(CASE WHEN service_id IS NOT NULL AND " + in + " THEN 1 ELSE 0 END), 0), " +
		"COUNT(DISTINCT CASE WHEN service_id IS NOT NULL AND (note IS NULL OR NOT " + in + ") THEN service_id END) FROM api_tokens"
	rt := &RecreatedTokens{Notes: notes}
	if err := s.tx.QueryRowContext(ctx, q, args...).Scan(&rt.User, &rt.Service, &rt.ServicesWithOtherTokens); err != nil {
		return err
	}
	f.RecreatedTokens = rt
	return nil
}

func usersNotInConfig(ctx context.Context, s *session, users []string, f *Facts) error {
	// Counting the config users that exist uses the unique index on
	// users.name; the rest are the users not in the config.
	total, ok := f.Counts["users"]
	if !ok {
		return nil
	}
	var in int64
	where := ""
	args := make([]any, 0, len(users))
	if len(users) > 0 {
		ph := make([]string, len(users))
		for i, name := range users {
			ph[i] = s.ph(i + 1)
			args = append(args, name)
		}
		list := strings.Join(ph, ",")
		if err := s.tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE name IN ("+list+")", args...).Scan(&in); err != nil {
			return err
		}
		where = " WHERE name NOT IN (" + list + ")"
	}
	n := total - in
	f.UsersNotInConfig = &n
	if n == 0 {
		return nil
	}
	rows, err := s.tx.QueryContext(ctx, "SELECT name FROM users"+where+" ORDER BY name LIMIT 5", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name sql.NullString
		if err := rows.Scan(&name); err != nil {
			return err
		}
		f.UsersNotInConfigExamples = append(f.UsersNotInConfigExamples, name.String)
	}
	return rows.Err()
}

// invalidNamePredicate is a SQL condition true for names that break
// ValidServerName, so that they are counted by the database, not loaded.
func (s *session) invalidNamePredicate() string {
	switch s.dialect {
	case "postgresql":
		return "(length(name) > 30 OR name !~ '^[a-z](-?[a-z0-9])*$')"
	case "mysql":
		return "(CHAR_LENGTH(name) > 30 OR CAST(name AS BINARY) NOT REGEXP '^[a-z](-?[a-z0-9])*$')"
	}
	// GLOB is case-sensitive and byte-wise, like the rule.
	return "(length(name) > 30 OR name NOT GLOB '[a-z]*' OR name GLOB '*[^a-z0-9-]*' OR name GLOB '*-' OR name GLOB '*--*')"
}

// invalidServerNameExamples reads the first five names (in byte order)
// of the named servers that countRows found breaking ValidServerName.
func invalidServerNameExamples(ctx context.Context, s *session, f *Facts) error {
	if f.InvalidServerNames == 0 {
		return nil
	}
	where := " FROM spawners WHERE name IS NOT NULL AND name <> '' AND " + s.invalidNamePredicate()
	order := " ORDER BY name"
	if s.dialect == "mysql" {
		order = " ORDER BY CAST(name AS BINARY)"
	} else if s.dialect == "postgresql" {
		order = ` ORDER BY name COLLATE "C"`
	}
	rows, err := s.tx.QueryContext(ctx, "SELECT name"+where+order+" LIMIT 5")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		f.InvalidServerNamesExamples = append(f.InvalidServerNamesExamples, name)
	}
	return rows.Err()
}

// ValidServerName reports whether a named server's name satisfies the
// rule JupyterHub 6 introduced: 1 to 30 characters, lowercase ASCII
// letters, digits and single hyphens, starting with a letter and ending
// with a letter or digit.
func ValidServerName(name string) bool { return validServerName([]byte(name)) }

func validServerName(name []byte) bool {
	if len(name) == 0 || len(name) > 30 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9':
			if i == 0 {
				return false
			}
		case c == '-':
			if i == 0 || i == len(name)-1 || name[i-1] == '-' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// resolve fills the facts that come from the knowledge base.
func resolve(k *kb.KB, f *Facts) {
	if f.Revision == "" {
		return
	}
	if _, ok := k.Migration(f.Revision); ok {
		f.RevisionKnown = true
	} else if _, ok := k.UnreleasedMigration(f.Revision); ok {
		f.RevisionUnreleased = true
	}
	for _, r := range k.ReleasesWithHead(f.Revision) {
		f.JupyterHubVersions = append(f.JupyterHubVersions, r.Version.String())
	}
}

// countRows takes every count of countQueries that applies, with one
// query (one scan) per table: COUNT(*) plus a SUM(CASE ...) per condition.
func countRows(ctx context.Context, s *session, f *Facts) error {
	type col struct{ name, expr string }
	byTable := map[string][]col{}
	var order []string
	for _, q := range countQueries {
		if !hasTable(f, q.table) || !hasCols(f, q.table, q.needCols) {
			continue
		}
		if _, ok := byTable[q.table]; !ok {
			order = append(order, q.table)
		}
		expr := "COUNT(*)"
		switch {
		case q.name == "services_with_tokens":
			expr = "COUNT(DISTINCT service_id)"
		case q.where != "":
			w := strings.ReplaceAll(q.where, "INVALID_", s.invalidNamePredicate())
			w = strings.ReplaceAll(w, "TRUE_", s.boolLit(true))
			w = strings.ReplaceAll(w, "FALSE_", s.boolLit(false))
			w = strings.ReplaceAll(w, "NOW_", s.nowUTC())
			expr = "COALESCE(SUM(CASE WHEN " + w + " THEN 1 ELSE 0 END), 0)"
		}
		byTable[q.table] = append(byTable[q.table], col{q.name, expr})
	}
	for _, t := range order {
		cols := byTable[t]
		exprs := make([]string, len(cols))
		dest := make([]any, len(cols))
		vals := make([]int64, len(cols))
		for i, c := range cols {
			exprs[i] = c.expr
			dest[i] = &vals[i]
		}
		q := "SELECT " + strings.Join(exprs, ", ") + " FROM " + s.quote(t)
		if err := s.guard(ctx, func() error { return s.tx.QueryRowContext(ctx, q).Scan(dest...) }); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			f.Warnings = append(f.Warnings, fmt.Sprintf("counting rows of %s failed: %v", t, err))
			continue
		}
		for i, c := range cols {
			f.Counts[c.name] = vals[i]
		}
	}
	return nil
}
