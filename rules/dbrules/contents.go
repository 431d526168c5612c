package dbrules

import (
	"fmt"
	"strings"

	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// MigrationDropsTokens reports migrations on the path that revoke tokens.
var MigrationDropsTokens = &rules.Rule{
	ID: "HUB210", Name: "migration-revokes-tokens", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB, NeedsTarget: true, Phase: rules.PhasePre,
	Title: "a migration on the upgrade path drops every API and OAuth token",
	Doc: "Some migrations drop whole tables: the RBAC migration of JupyterHub 2.0 drops `api_tokens` and " +
		"`oauth_access_tokens`, so every token issued through the API or the UI stops working after " +
		"`upgrade-db`. Tokens set in the config (services' `api_token`, `api_tokens`) are loaded again at " +
		"start; the others must be recreated and handed out again. The rule names the migration (from " +
		"the knowledge base) and the number of tokens that will be lost.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		ms, down, ok := path(p, p.Target)
		if !ok || down {
			return nil
		}
		for _, m := range ms {
			if !m.RevokesTokens {
				continue
			}
			n := f.Counts["api_tokens"] + f.Counts["oauth_access_tokens"]
			p.Report(rules.Finding{Location: dbSubject("tokens"),
				Message: fmt.Sprintf("migration %s (%s, first in %s) on the way to %s drops all API and OAuth tokens: %s in this database will stop working",
					m.Revision, m.Title, m.FirstRelease, p.Target.Version, plural(n, "token", "tokens")),
				Fix: &rules.Fix{Description: "list who owns tokens now (users and services must request new ones after the upgrade); tokens from the config are restored at start"}})
			break
		}
		return nil
	},
}

// DeleteImpact answers "what happens if I delete my database?".
var DeleteImpact = &rules.Rule{
	ID: "HUB211", Name: "database-only-state", Severity: rules.Note, Source: rules.SourceDB, Needs: needsDB,
	Title: "what deleting (or losing) the database would lose, with numbers",
	Doc: "A hub can start from an empty database: it recreates what the config defines. That is the " +
		"answer to \"what happens if I delete my database?\", and it only covers what the config holds: users added through the admin page or the API, " +
		"API tokens, groups and roles created at run time, services registered through the API, and the " +
		"record of running servers live only in the database. This note counts them so the admin knows " +
		"what a lost or reset database costs (users counted against the config's allowed_users and " +
		"admin_users when those are literal lists). API tokens the hub makes from its config at every start " +
		"(`JupyterHub.api_tokens`, `service_tokens`, a service's `api_token`, a managed service's generated " +
		"token: the database records them with the note \"from config\" or \"generated at startup\", which the knowledge " +
		"base lists) are not counted as lost, nor the services that have no other token.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		if f.Empty || len(f.Counts) == 0 {
			return nil
		}
		c := f.Counts
		var parts []string
		if f.UsersNotInConfig != nil {
			s := plural(*f.UsersNotInConfig, "user", "users") + " not in the config"
			if len(f.UsersNotInConfigExamples) > 0 {
				s += " (" + strings.Join(f.UsersNotInConfigExamples, ", ")
				if int64(len(f.UsersNotInConfigExamples)) < *f.UsersNotInConfig {
					s += ", ..."
				}
				s += ")"
			}
			parts = append(parts, s)
		} else if n, ok := c["users"]; ok {
			parts = append(parts, plural(n, "user", "users")+" (config lists unknown)")
		}
		// Tokens the hub makes from its config at every start (their note
		// says so) are not lost with the database.
		rt := f.RecreatedTokens
		var recreated int64
		if n, ok := c["api_tokens"]; ok {
			if u, ok := c["user_tokens"]; ok {
				n = u
			}
			if rt != nil {
				n -= rt.User
				recreated += rt.User
			}
			parts = append(parts, plural(max(n, 0), "API token", "API tokens"))
		}
		if n := c["oauth_access_tokens"]; n > 0 {
			parts = append(parts, plural(n, "OAuth token", "OAuth tokens"))
		}
		if n, ok := c["servers_running"]; ok {
			parts = append(parts, plural(n, "running server", "running servers")+" the hub would lose track of")
		}
		services := c["services_with_tokens"]
		if rt != nil {
			services = rt.ServicesWithOtherTokens
			recreated += rt.Service
		}
		if services > 0 {
			parts = append(parts, plural(services, "service", "services")+" with tokens in the database")
		}
		if n := c["services_not_from_config"]; n > 0 {
			parts = append(parts, plural(n, "service", "services")+" registered through the API")
		}
		if n := c["groups"]; n > 0 {
			parts = append(parts, plural(n, "group", "groups")+" (unless defined in load_groups)")
		}
		if n := c["shares"] + c["share_codes"]; n > 0 {
			parts = append(parts, plural(n, "share", "shares"))
		}
		if len(parts) == 0 {
			return nil
		}
		msg := "deleting the database would lose " + strings.Join(parts, ", ")
		if recreated > 0 {
			msg += fmt.Sprintf("; not counted: %s that the hub makes again from its config at every start", plural(recreated, "API token", "API tokens"))
		}
		p.Report(rules.Finding{Location: dbSubject("contents"),
			Message: msg,
			Fix:     &rules.Fix{Description: "add the users to allowed_users/admin_users and service tokens to the config, or keep the database and a backup", Commands: []string{f.BackupCommand}}})
		return nil
	},
}

// RunningServers reports servers running at upgrade time.
var RunningServers = &rules.Rule{
	ID: "HUB212", Name: "servers-running", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB, Phase: rules.PhasePre,
	Title: "user servers are running: the upgrade restarts the hub under them",
	Doc: "The database records which single-user servers are running. Upgrading means stopping the hub, " +
		"running `upgrade-db` and starting the new release. With `c.JupyterHub.cleanup_servers = True` " +
		"(the default) stopping the hub stops every user's server, and unsaved work in them is lost. " +
		"With False they keep running across the restart, still on the single-user version they were " +
		"started with: restart them after the upgrade so that hub and single-user versions match. " +
		"Either way, announce a maintenance window.",
	Run: func(p *rules.Pass) error {
		c := p.DB.Counts
		n := c["servers_running"]
		if n == 0 {
			return nil
		}
		msg := fmt.Sprintf("%s running (%d named)", plural(n, "user server is", "user servers are"), c["named_servers_running"])
		if p.Target != nil {
			msg += fmt.Sprintf("; the upgrade to %s restarts the hub under them", p.Target.Version)
		} else {
			msg += "; the upgrade restarts the hub under them"
		}
		p.Report(rules.Finding{Location: dbSubject("servers-running"), Message: msg,
			Fix: &rules.Fix{Description: "announce a maintenance window and stop the servers (or keep them running with c.JupyterHub.cleanup_servers = False and restart them after the upgrade)"}})
		return nil
	},
}

// InvalidNamedServers reports named servers whose names JupyterHub 6 rejects.
var InvalidNamedServers = &rules.Rule{
	ID: "HUB213", Name: "invalid-named-servers", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB, NeedsTarget: true,
	Title: "named servers have names that the target's naming rules reject",
	Doc: "JupyterHub 6 restricts named-server names to 1–30 characters of lowercase letters, digits and " +
		"single hyphens, starting with a letter and ending with a letter or digit. What happens to existing " +
		"servers with other names is `JupyterHub.allow_existing_invalid_named_servers`:\n\n" +
		"- `allow-start`, the default: nothing is renamed; their owners can still start, stop and delete " +
		"them, and the hub warns about them at every start (a note here);\n" +
		"- `allow-delete`: they can only be stopped or deleted, no longer started;\n" +
		"- `autorename`: at start the hub renames the stopped ones (the old name is kept as `display_name`) " +
		"but not what the spawner keyed on the old name (volumes, paths), and it cannot rename running " +
		"ones, which it logs as errors (an error here: stop them before the upgrade).\n\n" +
		"Whether the target enforces the rule comes from the knowledge base (the release range of the " +
		"hub's invalid-name warning), and the default from the target's trait catalog.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		if f.InvalidServerNames == 0 {
			return nil
		}
		m, ok := p.KB.Message("v6.invalid_servername")
		if !ok || !m.PrintedBy(p.Target.Version) {
			return nil
		}
		const trait = "allow_existing_invalid_named_servers"
		policy, how := "", "the default"
		if l, err := p.KB.LookupTrait("JupyterHub", trait, kb.Versions{JupyterHub: p.Target.Version}); err == nil && l.Found {
			policy = strings.Trim(l.Trait.Default, `'"`)
		}
		if p.Config != nil {
			for _, a := range p.Config.Assignments {
				if strings.HasSuffix(a.Trait, "."+trait) {
					s, _ := a.Value.(string)
					policy, how = s, fmt.Sprintf("set at %s:%d", a.File, a.Line)
				}
			}
		}
		msg := fmt.Sprintf("%s of %d break the naming rules of %s (e.g. %s)",
			plural(f.InvalidServerNames, "named server", "named servers"), f.Counts["named_servers"], p.Target.Version, quoteAll(f.InvalidServerNamesExamples))
		fd := rules.Finding{Location: dbSubject("named-servers"), Message: msg}
		switch policy {
		case "allow-start":
			fd.Severity = rules.Note
			fd.Message += fmt.Sprintf("; with %s = \"allow-start\" (%s) they keep their names and their owners can still start them; the hub warns about them at every start", trait, how)
		case "allow-delete":
			fd.Message += fmt.Sprintf("; with %s = \"allow-delete\" (%s) their owners can stop or delete them but no longer start them", trait, how)
			fd.Fix = &rules.Fix{Description: "have the owners move to new servers with valid names, or use allow-start to keep the old ones startable"}
		case "autorename":
			fd.Message += fmt.Sprintf("; with %s = \"autorename\" (%s) the hub renames the stopped ones at start, but not what the spawner keyed on the old names (volumes, paths)", trait, how)
			fd.Fix = &rules.Fix{Description: "check that the spawner keeps no resources keyed on the server name, and stop the servers before the upgrade; or use allow-start to keep the names"}
			if f.InvalidServerNamesRunning > 0 {
				fd.Severity = rules.Error
				fd.Message += fmt.Sprintf("; %d of them running, which %s does not rename", f.InvalidServerNamesRunning, p.Target.Version)
			}
		default:
			fd.Severity = rules.Note
			fd.Message += fmt.Sprintf("; %s is %s to a value hubaudit cannot read, which decides whether they keep working", trait, how)
		}
		p.Report(fd)
		return nil
	},
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
