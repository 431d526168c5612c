package dbrules

import (
	"fmt"
	"strings"

	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// requiresSQLAlchemy14 reports whether the release's SQLAlchemy
// requirement excludes the last SQLAlchemy that accepted postgres:// (both
// facts from the knowledge base), and the requirement.
func requiresSQLAlchemy14(p *rules.Pass, ref *kb.Release) (string, bool) {
	last, ok := p.KB.SQLAlchemyFact("postgres_scheme_last_accepted")
	q, okReq := ref.Requirement("sqlalchemy")
	if !ok || !okReq || q.Specifier == "" {
		return "", false
	}
	spec, err := pep440.ParseSpecifier(q.Specifier)
	return q.Specifier, err == nil && !spec.Contains(last)
}

// PostgresScheme reports the postgres:// scheme.
var PostgresScheme = &rules.Rule{
	ID: "HUB214", Name: "postgres-scheme", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB,
	Title: "db_url uses the postgres:// scheme, which SQLAlchemy 1.4 and later reject",
	Doc: "SQLAlchemy 1.4 removed the `postgres` dialect name: `create_engine('postgres://...')` fails with " +
		"`Can't load plugin: sqlalchemy.dialects:postgres`. Write `postgresql://` (or " +
		"`postgresql+psycopg2://`). The rule is an error when the target (or installed) JupyterHub " +
		"requires SQLAlchemy 1.4 or newer (from the release's requirements in the knowledge base) and a " +
		"warning otherwise.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		name, _, _ := strings.Cut(f.Scheme, "+")
		if name != "postgres" {
			return nil
		}
		fd := rules.Finding{Location: dbSubject("url"), Message: fmt.Sprintf("db_url %s uses the postgres:// scheme, which SQLAlchemy 1.4 and later reject", f.URL),
			Fix: &rules.Fix{Description: "write postgresql:// instead of postgres:// in c.JupyterHub.db_url"}}
		if ref, _ := reference(p); ref != nil {
			if spec, ok := requiresSQLAlchemy14(p, ref); ok {
				fd.Severity = rules.Error
				fd.Message += fmt.Sprintf("; JupyterHub %s requires sqlalchemy%s, so the hub will not connect", ref.Version, spec)
			}
		}
		p.Report(fd)
		return nil
	},
}

// drivers maps a SQLAlchemy dialect+driver to the Python distributions
// that provide it (any one is enough).
var drivers = map[string][]string{
	"postgresql":               {"psycopg2", "psycopg2-binary"},
	"postgresql+psycopg2":      {"psycopg2", "psycopg2-binary"},
	"postgresql+psycopg":       {"psycopg", "psycopg-binary"},
	"postgresql+pg8000":        {"pg8000"},
	"postgresql+asyncpg":       {"asyncpg"},
	"mysql":                    {"mysqlclient"},
	"mysql+mysqldb":            {"mysqlclient"},
	"mysql+pymysql":            {"pymysql"},
	"mysql+mysqlconnector":     {"mysql-connector-python"},
	"mysql+mariadbconnector":   {"mariadb"},
	"mariadb+mariadbconnector": {"mariadb"},
	"mariadb":                  {"mysqlclient"},
	"mariadb+pymysql":          {"pymysql"},
	"postgres":                 {"psycopg2", "psycopg2-binary"},
	"postgresql+psycopg2cffi":  {"psycopg2cffi"},
	"mysql+cymysql":            {"cymysql"},
	"mysql+aiomysql":           {"aiomysql"},
	"mysql+asyncmy":            {"asyncmy"},
	"mariadb+mysqldb":          {"mysqlclient"},
	"mariadb+mysqlconnector":   {"mysql-connector-python"},
}

// MissingDBDriver reports a DB driver missing from the hub environment.
var MissingDBDriver = &rules.Rule{
	ID: "HUB215", Name: "missing-db-driver", Severity: rules.Error, Source: rules.SourceDB, Needs: []rules.Source{rules.SourceDB, rules.SourceEnv},
	Title: "the Python driver that db_url names is not installed in the hub environment",
	Doc: "SQLAlchemy loads a DBAPI driver chosen by the URL: `postgresql://` means psycopg2, " +
		"`mysql://` means mysqlclient (MySQLdb), `mysql+pymysql://` means PyMySQL, and so on. A fresh " +
		"virtual environment for the new release often lacks it, and the hub dies at start with " +
		"`No module named 'psycopg2'` (or `MySQLdb`). The rule checks the hub environment's packages.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		if f.Dialect == "sqlite" {
			return nil
		}
		want, ok := drivers[f.Scheme]
		if !ok {
			return nil
		}
		for _, e := range p.Env.Environments {
			if e.Role != "hub" {
				continue
			}
			found := false
			for _, w := range want {
				if _, ok := e.Packages[pep440.NormalizeName(w)]; ok {
					found = true
				}
			}
			if !found {
				p.Report(rules.Finding{Location: rules.Location{Subject: "db:driver/" + want[0]},
					Message: fmt.Sprintf("db_url scheme %s needs the %s package, which the hub environment %s does not have", f.Scheme, strings.Join(want, " or "), e.Path),
					Fix:     &rules.Fix{Description: "install the driver into the hub environment", Commands: []string{"python -m pip install " + want[0]}}})
			}
		}
		return nil
	},
}

// MySQLIndexPrefix reports MySQL settings that broke JupyterHub upgrades.
var MySQLIndexPrefix = &rules.Rule{
	ID: "HUB216", Name: "mysql-index-prefix", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB,
	Title: "MySQL/MariaDB tables or defaults limit index keys to 767 bytes, or tables are not InnoDB",
	Doc: "JupyterHub's tables have unique indexes on VARCHAR(255) columns (users.name, api_tokens.hashed, " +
		"oauth_clients.identifier...). With utf8mb4 that is 1020 bytes, above the 767-byte key limit of " +
		"the COMPACT and REDUNDANT row formats (old MySQL 5.6 / MariaDB 10.1 defaults, or " +
		"innodb_large_prefix off): migrations that add tables or indexes fail with `Specified key was " +
		"too long; max key length is 767 bytes` (MySQL) or `Index column size too large. The maximum " +
		"column size is 767 bytes` (MariaDB). Convert the tables to ROW_FORMAT=DYNAMIC and set " +
		"innodb_default_row_format=dynamic. Non-InnoDB (MyISAM) tables have no transactions, so a " +
		"failed migration leaves them half-changed.",
	Run: func(p *rules.Pass) error {
		m := p.DB.MySQL
		if m == nil {
			return nil
		}
		if len(m.NarrowRowFormatTables) > 0 {
			cmds := make([]string, 0, len(m.NarrowRowFormatTables))
			for _, t := range m.NarrowRowFormatTables {
				cmds = append(cmds, fmt.Sprintf("ALTER TABLE `%s` ROW_FORMAT=DYNAMIC;", t))
			}
			p.Report(rules.Finding{Location: dbSubject("mysql/row-format"),
				Message: fmt.Sprintf("%s use the COMPACT/REDUNDANT row format (%s): index keys are limited to 767 bytes, too short for utf8mb4 VARCHAR(255) unique keys that migrations create",
					plural(int64(len(m.NarrowRowFormatTables)), "table", "tables"), strings.Join(m.NarrowRowFormatTables, ", ")),
				Fix: &rules.Fix{Description: "convert the tables to the DYNAMIC row format (back up first)", Commands: cmds}})
		} else if m.DefaultRowFormat == "compact" || m.DefaultRowFormat == "redundant" {
			p.Report(rules.Finding{Location: dbSubject("mysql/row-format"),
				Message: fmt.Sprintf("innodb_default_row_format is %s: tables that migrations create get 767-byte index keys, too short for utf8mb4 VARCHAR(255) unique keys", m.DefaultRowFormat),
				Fix:     &rules.Fix{Description: "set innodb_default_row_format=dynamic in the server configuration", Commands: []string{"SET GLOBAL innodb_default_row_format = 'dynamic';"}}})
		}
		if len(m.NonInnoDBTables) > 0 {
			p.Report(rules.Finding{Location: dbSubject("mysql/engine"),
				Message: fmt.Sprintf("%s not InnoDB (%s): a failed migration cannot be rolled back", plural(int64(len(m.NonInnoDBTables)), "table is", "tables are"), strings.Join(m.NonInnoDBTables, ", "))})
		}
		return nil
	},
}

// serverVersion extracts the leading dotted number of a server version
// string ("15.18 (Debian 15.18-0+deb12u1)", "10.11.19-MariaDB-0+deb12u1").
func serverVersion(s string) (pep440.Version, bool) {
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
		end++
	}
	v, err := pep440.Parse(strings.Trim(s[:end], "."))
	return v, err == nil && end > 0
}

// OldDatabaseServer reports a server older than SQLAlchemy supports.
var OldDatabaseServer = &rules.Rule{
	ID: "HUB218", Name: "old-database-server", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB,
	Title: "the database server is older than the SQLAlchemy the release requires supports",
	Doc: "SQLAlchemy documents the database versions it supports: PostgreSQL 9.6+, MySQL 5.6+ and " +
		"MariaDB 10+ (the same in 1.4 and 2.0; older ones only on a best-effort basis, with features " +
		"that may fail). When the target (or installed) JupyterHub requires SQLAlchemy 1.4 or newer " +
		"(from the knowledge base) and the server is older, migrations and the hub itself may fail in " +
		"ways no test covers. Upgrade the database server first.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		ref, _ := reference(p)
		if ref == nil || f.Dialect == "sqlite" {
			return nil
		}
		spec, ok := requiresSQLAlchemy14(p, ref)
		if !ok {
			return nil
		}
		v, ok := serverVersion(f.ServerVersion)
		if !ok {
			return nil
		}
		name, fact := "PostgreSQL", "server_floor.postgresql"
		if f.Dialect == "mysql" {
			name, fact = "MySQL", "server_floor.mysql"
			if f.MySQL != nil && f.MySQL.MariaDB {
				name, fact = "MariaDB", "server_floor.mariadb"
			}
		}
		floor, ok := p.KB.SQLAlchemyFact(fact)
		if !ok {
			return nil
		}
		if !v.Less(floor) {
			return nil
		}
		p.Reportf(dbSubject("server-version"), "%s server %s is older than %s, the oldest that SQLAlchemy 1.4+ supports, and JupyterHub %s requires sqlalchemy%s",
			name, v, floor, ref.Version, spec)
		return nil
	},
}
