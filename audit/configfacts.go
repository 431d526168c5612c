package audit

import (
	"fmt"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/rules"
)

// configSuppressions turns the config's inline comments into engine
// suppressions.
func configSuppressions(cf *config.Facts) []rules.Suppression {
	var out []rules.Suppression
	for _, s := range cf.Suppressions {
		at := s.At
		if at == 0 {
			at = s.Line
		}
		out = append(out, rules.Suppression{Rules: s.Rules, File: s.File, Line: s.Line, Reason: s.Reason,
			Origin: fmt.Sprintf("%s:%d", s.File, at)})
	}
	return out
}

func configDBURL(cf *config.Facts) string {
	if cf == nil {
		return ""
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
		switch v := a.Value.(type) {
		case string:
			out = []string{v}
		case []any:
			out = out[:0]
			for _, x := range v {
				if s, ok := x.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	return out
}
