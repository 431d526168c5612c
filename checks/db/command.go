package db

import (
	"fmt"
	"github.com/hubaudit/hubaudit/internal/shell"
	"strings"
	"time"
)

// DumpCommand returns the shell command that dumps a PostgreSQL or MySQL
// database to file, or for SQLite the hubaudit backup command writing
// into the directory file. The password is never part of it: pg_dump
// reads PGPASSWORD or ~/.pgpass, mysqldump prompts (--password).
func DumpCommand(u *URL, file string) string {
	switch u.Dialect {
	case "postgresql":
		args := []string{"pg_dump"}
		if h := u.Host; h != "" {
			args = append(args, "--host="+shell.Quote(h))
		} else if h := u.Query.Get("host"); h != "" {
			args = append(args, "--host="+shell.Quote(h))
		}
		if u.Port != "" {
			args = append(args, "--port="+u.Port)
		}
		if u.User != "" {
			args = append(args, "--username="+shell.Quote(u.User))
		}
		args = append(args, "--format=custom", "--file="+shell.Quote(file), shell.Quote(u.Database))
		return strings.Join(args, " ")
	case "mysql":
		args := []string{"mysqldump"}
		if sock := u.Query.Get("unix_socket"); sock != "" {
			args = append(args, "--socket="+shell.Quote(sock))
		} else {
			h := u.Host
			if h == "" {
				h = "localhost"
			}
			args = append(args, "--host="+shell.Quote(h))
			if u.Port != "" {
				args = append(args, "--port="+u.Port)
			}
		}
		if u.User != "" {
			args = append(args, "--user="+shell.Quote(u.User))
		}
		if u.HasPassword {
			args = append(args, "--password")
		}
		args = append(args, "--single-transaction", "--routines", "--result-file="+shell.Quote(file), "--databases", shell.Quote(u.Database))
		return strings.Join(args, " ")
	}
	return "hubaudit backup --to " + shell.Quote(file)
}

// defaultDumpName is the file name suggested for a dump or backup.
func defaultDumpName(u *URL, rev string, now time.Time) string {
	stamp := now.Format("20060102-150405")
	if rev == "" {
		rev = "norev"
	}
	switch u.Dialect {
	case "postgresql":
		return fmt.Sprintf("jupyterhub-%s-%s.dump", rev, stamp)
	case "mysql":
		return fmt.Sprintf("jupyterhub-%s-%s.sql", rev, stamp)
	}
	return fmt.Sprintf("hubaudit-backup-%s", stamp)
}
