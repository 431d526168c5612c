package audit

import (
	"fmt"
	"net/url"
	"strings"
)

// dumpCommand returns the command that dumps a PostgreSQL or MySQL hub
// database, with the password left out (it is read from PGPASSWORD,
// ~/.pgpass or mysqldump's prompt, never typed on the command line).
func dumpCommand(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	scheme := strings.SplitN(u.Scheme, "+", 2)[0]
	dbname := strings.TrimPrefix(u.Path, "/")
	user := u.User.Username()
	host, port := u.Hostname(), u.Port()
	switch scheme {
	case "postgresql", "postgres":
		args := []string{"pg_dump", "--format=custom", "--file=jupyterhub-pre-upgrade.dump"}
		if host != "" {
			args = append(args, "--host="+host)
		}
		if port != "" {
			args = append(args, "--port="+port)
		}
		if user != "" {
			args = append(args, "--username="+user)
		}
		return strings.Join(append(args, dbname), " ") + "   # password from PGPASSWORD or ~/.pgpass"
	case "mysql", "mariadb":
		args := []string{"mysqldump", "--single-transaction", "--routines"}
		if host != "" {
			args = append(args, "--host="+host)
		}
		if port != "" {
			args = append(args, "--port="+port)
		}
		if user != "" {
			args = append(args, "--user="+user)
		}
		return fmt.Sprintf("%s --password %s > jupyterhub-pre-upgrade.sql   # prompts for the password", strings.Join(args, " "), dbname)
	}
	return ""
}
