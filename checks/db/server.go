package db

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"net"
	"slices"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgParams are the query parameters of a SQLAlchemy PostgreSQL URL that
// libpq (and so pgx) understands; others (psycopg2 or SQLAlchemy options)
// are not passed on, since pgx would send unknown ones to the server as
// run-time settings.
var pgParams = map[string]bool{
	"sslmode": true, "sslrootcert": true, "sslcert": true, "sslkey": true, "sslpassword": true, "sslsni": true,
	"host": true, "port": true, "dbname": true, "user": true, "password": true, "passfile": true,
	"connect_timeout": true, "application_name": true, "target_session_attrs": true, "service": true,
}

// PostgresDSN translates a SQLAlchemy PostgreSQL URL to a libpq URL that
// pgx parses. It contains the password: never print it.
func PostgresDSN(u *URL) string {
	var b strings.Builder
	b.WriteString("postgres://")
	if u.User != "" {
		b.WriteString(escapeUserinfo(u.User))
		if u.HasPassword {
			b.WriteString(":" + escapeUserinfo(u.Password))
		}
		b.WriteString("@")
	}
	host := u.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	b.WriteString(host)
	if u.Port != "" {
		b.WriteString(":" + u.Port)
	}
	b.WriteString("/" + escapePath(u.Database))
	var qs []string
	for _, k := range slices.Sorted(maps.Keys(u.Query)) {
		if !pgParams[k] {
			continue
		}
		for _, v := range u.Query[k] {
			qs = append(qs, escapeQuery(k)+"="+escapeQuery(v))
		}
	}
	if len(qs) > 0 {
		b.WriteString("?" + strings.Join(qs, "&"))
	}
	return b.String()
}

func openPostgres(ctx context.Context, u *URL, opts *Options) (*session, error) {
	cfg, err := pgx.ParseConfig(PostgresDSN(u))
	if err != nil {
		return nil, fmt.Errorf("database URL %s: %v", Redact(u.Raw), err)
	}
	cfg.ConnectTimeout = opts.timeout()
	cfg.RuntimeParams["application_name"] = "hubaudit"
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(1)
	s, err := begin(ctx, db, "postgresql", opts.timeout())
	if err != nil {
		return nil, fmt.Errorf("postgresql database %s: %w", Redact(u.Raw), err)
	}
	return s, nil
}

// MySQLConfig translates a SQLAlchemy MySQL URL to a go-sql-driver
// configuration (it holds the password: never print it).
func MySQLConfig(u *URL, opts *Options) *mysql.Config {
	cfg := mysql.NewConfig()
	cfg.User = u.User
	cfg.Passwd = u.Password
	cfg.DBName = u.Database
	cfg.Net = "tcp"
	host := u.Host
	if host == "" {
		host = "localhost"
	}
	port := u.Port
	if port == "" {
		port = "3306"
	}
	cfg.Addr = net.JoinHostPort(host, port)
	if sock := u.Query.Get("unix_socket"); sock != "" {
		cfg.Net, cfg.Addr = "unix", sock
	}
	for k := range u.Query {
		if strings.HasPrefix(k, "ssl") {
			cfg.TLSConfig = "preferred"
		}
	}
	if opts != nil {
		cfg.Timeout = opts.timeout()
	}
	cfg.ParseTime = false
	return cfg
}

func openMySQL(ctx context.Context, u *URL, opts *Options) (*session, error) {
	conn, err := mysql.NewConnector(MySQLConfig(u, opts))
	if err != nil {
		return nil, fmt.Errorf("database URL %s: %v", Redact(u.Raw), err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(1)
	s, err := begin(ctx, db, "mysql", opts.timeout())
	if err != nil {
		return nil, fmt.Errorf("mysql database %s: %w", Redact(u.Raw), err)
	}
	return s, nil
}

// mysqlFacts reads the server settings and table options that decide
// whether JupyterHub's migrations can build their indexes.
func mysqlFacts(ctx context.Context, s *session, f *Facts) error {
	// MySQL keeps a transaction usable after a failed statement, so the
	// variables that some servers lack are simply skipped.
	m := &MySQLFacts{MariaDB: strings.Contains(strings.ToLower(f.ServerVersion), "mariadb")}
	f.MySQL = m
	var v sql.NullString
	if err := s.tx.QueryRowContext(ctx, "SELECT @@innodb_default_row_format").Scan(&v); err == nil {
		m.DefaultRowFormat = strings.ToLower(v.String)
	}
	v = sql.NullString{}
	if err := s.tx.QueryRowContext(ctx, "SELECT @@innodb_large_prefix").Scan(&v); err == nil {
		m.LargePrefix = v.String
	}
	v = sql.NullString{}
	if err := s.tx.QueryRowContext(ctx, "SELECT @@character_set_database").Scan(&v); err == nil {
		m.CharacterSet = v.String
	}
	rows, err := s.tx.QueryContext(ctx, `SELECT TABLE_NAME, COALESCE(ENGINE, ''), COALESCE(ROW_FORMAT, '')
		FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name, engine, rowFormat string
		if err := rows.Scan(&name, &engine, &rowFormat); err != nil {
			return err
		}
		if engine != "" && !strings.EqualFold(engine, "InnoDB") {
			m.NonInnoDBTables = append(m.NonInnoDBTables, name)
		}
		switch strings.ToLower(rowFormat) {
		case "compact", "redundant":
			m.NarrowRowFormatTables = append(m.NarrowRowFormatTables, name)
		}
	}
	return rows.Err()
}

func escapeUserinfo(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func escapePath(s string) string  { return escapeUserinfo(s) }
func escapeQuery(s string) string { return escapeUserinfo(s) }
