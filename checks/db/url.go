package db

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/hubaudit/hubaudit/internal/lazyre"
)

// URL is a database URL as JupyterHub's db_url holds it (SQLAlchemy form),
// split into its parts. Password is kept only in memory: it never appears
// in String, in facts or in errors.
type URL struct {
	// Raw is the URL as given (it may contain a password: never print it).
	Raw string
	// Scheme is the part before "://" ("postgresql+psycopg2"); "sqlite"
	// for a bare file name.
	Scheme string
	// Dialect is "sqlite", "postgresql" or "mysql".
	Dialect string
	// Driver is the SQLAlchemy DBAPI after "+" ("psycopg2", "pymysql"),
	// "" for the dialect's default.
	Driver string
	// Bare is true when the value had no "://" and JupyterHub treats it as
	// a sqlite file path.
	Bare     bool
	User     string
	Password string
	// HasPassword is true when the URL carried a password.
	HasPassword bool
	Host        string
	Port        string
	// Database is the database name, or for sqlite the file path as
	// written (relative paths are relative to the hub's working dir).
	Database string
	// Query holds the URL's query parameters.
	Query url.Values
}

// sqlalchemyURL mirrors the shape SQLAlchemy's make_url accepts:
// name://[user[:password]@][host][:port][/database][?query]. The password
// runs up to the last "@" before the host so that it may contain "/" and
// ":" unescaped.
var sqlalchemyURL = lazyre.New(`^([A-Za-z0-9_+\-.]+)://(?:([^:/@]*)(?::(.*))?@)?(?:\[([^/?\]]+)\]|([^/:?@]*))?(?::([^/?]*))?(?:/([^?]*))?(?:\?(.*))?$`)

// ParseURL parses a db_url the way JupyterHub and SQLAlchemy read it. A
// value without "://" is a sqlite file path. Errors never contain the
// password.
func ParseURL(raw string) (*URL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, fmt.Errorf("empty database URL")
	}
	if !strings.Contains(s, "://") {
		return &URL{Raw: raw, Scheme: "sqlite", Dialect: "sqlite", Bare: true, Database: s, Query: url.Values{}}, nil
	}
	m := sqlalchemyURL().FindStringSubmatch(s)
	if m == nil {
		return nil, fmt.Errorf("database URL %s is not of the form dialect[+driver]://user:password@host:port/database", Redact(raw))
	}
	u := &URL{Raw: raw, Scheme: strings.ToLower(m[1])}
	name, driver, _ := strings.Cut(u.Scheme, "+")
	u.Driver = driver
	switch name {
	case "sqlite":
		u.Dialect = "sqlite"
	case "postgresql", "postgres", "pgsql", "psql":
		u.Dialect = "postgresql"
	case "mysql", "mariadb":
		u.Dialect = "mysql"
	default:
		return nil, fmt.Errorf("database URL %s: unsupported dialect %q (want sqlite, postgresql or mysql)", Redact(raw), name)
	}
	var err error
	if u.User, err = url.PathUnescape(m[2]); err != nil {
		u.User = m[2]
	}
	if m[3] != "" {
		u.HasPassword = true
		if u.Password, err = url.PathUnescape(m[3]); err != nil {
			u.Password = m[3]
		}
	}
	u.Host = m[4] + m[5]
	u.Port = m[6]
	u.Database = m[7]
	if u.Dialect != "sqlite" {
		if u.Database, err = url.PathUnescape(m[7]); err != nil {
			u.Database = m[7]
		}
	}
	if u.Query, err = url.ParseQuery(m[8]); err != nil {
		return nil, fmt.Errorf("database URL %s: bad query string", Redact(raw))
	}
	if u.Port != "" && strings.Trim(u.Port, "0123456789") != "" {
		return nil, fmt.Errorf("database URL %s: port %q is not a number", Redact(raw), u.Port)
	}
	return u, nil
}

// SQLitePath returns the sqlite file path, made absolute against dir when
// relative. It is "" for an in-memory database.
func (u *URL) SQLitePath(dir string) string {
	p := u.Database
	if p == "" || p == ":memory:" {
		return ""
	}
	if strings.HasPrefix(p, "file:") {
		p = strings.TrimPrefix(p, "file:")
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
	}
	if !filepath.IsAbs(p) {
		if dir == "" {
			dir = "."
		}
		p = filepath.Join(dir, p)
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return p
}

// String returns the URL with the password replaced by "***".
func (u *URL) String() string { return Redact(u.Raw) }

// Redact returns url with any password replaced by "***", for every place
// a database URL is shown (facts, findings, errors, commands). Values that
// are not URLs are returned unchanged; password-like query parameters are
// redacted too.
func Redact(raw string) string {
	if !strings.Contains(raw, "://") {
		return raw
	}
	out := raw
	// The password is exactly what ParseURL takes as the password.
	if idx := sqlalchemyURL().FindStringSubmatchIndex(strings.TrimSpace(raw)); idx != nil {
		lead := len(raw) - len(strings.TrimLeft(raw, " \t\r\n"))
		if idx[6] >= 0 && idx[7] > idx[6] {
			out = raw[:lead+idx[6]] + "***" + raw[lead+idx[7]:]
		}
	} else {
		// Not a URL ParseURL accepts: hide everything between the first
		// ':' after the scheme and the last '@'.
		i := strings.Index(raw, "://")
		rest := raw[i+3:]
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			cred := rest[:at]
			if c := strings.IndexByte(cred, ':'); c >= 0 {
				out = raw[:i+3] + cred[:c] + ":***" + rest[at:]
			}
		}
	}
	if q := strings.LastIndexByte(out, '?'); q >= 0 && q > strings.LastIndexByte(out, '@') {
		out = out[:q+1] + redactQuery(out[q+1:])
	}
	return out
}

var secretParams = map[string]bool{"password": true, "passwd": true, "sslpassword": true, "pass": true}

func redactQuery(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		if ok && secretParams[strings.ToLower(k)] {
			parts[i] = k + "=***"
		}
	}
	return strings.Join(parts, "&")
}

// redactErr rewrites an error message so that it cannot carry the
// password, however the driver formatted it.
func redactErr(err error, u *URL) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if u != nil && u.Password != "" {
		msg = strings.ReplaceAll(msg, u.Password, "***")
		msg = strings.ReplaceAll(msg, url.QueryEscape(u.Password), "***")
		msg = strings.ReplaceAll(msg, url.PathEscape(u.Password), "***")
	}
	if u != nil && u.Raw != "" {
		msg = strings.ReplaceAll(msg, u.Raw, Redact(u.Raw))
	}
	return fmt.Errorf("%s", msg)
}
