package audit

import "github.com/hubaudit/hubaudit/checks/db"

// dumpCommand returns the command that dumps a PostgreSQL or MySQL hub
// database (never with the password), or "".
func dumpCommand(raw string) string {
	u, err := db.ParseURL(raw)
	if err != nil || u.Dialect == "sqlite" {
		return ""
	}
	return db.DumpCommand(u, "jupyterhub-pre-upgrade.dump")
}
