package audit

import (
	"github.com/hubaudit/hubaudit/checks/config"
)

// configDBURL is the config's db_url: the environment variable it reads
// when that is set, else its literal value (or the variable's default).
func configDBURL(cf *config.Facts, getenv func(string) string) string {
	if cf == nil {
		return ""
	}
	if cf.DBURLEnv != "" {
		if v := getenv(cf.DBURLEnv); v != "" {
			return v
		}
	}
	return cf.DBURLRaw
}

// configUsers is allowed_users ∪ admin_users when the config lists them.
func configUsers(cf *config.Facts) []string {
	if cf == nil || (!cf.AllowedUsersSet && len(cf.AdminUsers) == 0) {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, u := range append(append([]string{}, cf.AllowedUsers...), cf.AdminUsers...) {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

// spawnerCmd returns the literal c.Spawner.cmd (or a subclass's) value.
func spawnerCmd(cf *config.Facts) []string {
	if cf == nil {
		return nil
	}
	var out []string
	for _, a := range cf.Assignments {
		if a.Name() != "cmd" || a.Op != "=" {
			continue
		}
		if argv, ok := literalArgv(a); ok {
			out = argv
		}
	}
	return out
}

// literalArgv is the command a cmd-like assignment sets: a literal string,
// or the strings of a literal list; false for any other value.
func literalArgv(a config.Assignment) ([]string, bool) {
	switch v := a.Value.(type) {
	case string:
		return []string{v}, true
	case []any:
		out := []string{}
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out, true
	}
	return nil, false
}
