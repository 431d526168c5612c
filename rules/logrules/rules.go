package logrules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/checks/logs"
	"github.com/hubaudit/hubaudit/fixconfig"
	"github.com/hubaudit/hubaudit/internal/textdist"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// Rules are the HUB4xx rules, in ID order.
var Rules = []*rules.Rule{
	SchemaMismatch, UpgradeDBFailed, VersionMismatch, UnknownOption, Deprecated,
	NoAllowConfig, Traceback, ServerErrors, ProxyFailure, StoppedWhileDown,
	ErrorsSinceStart, UpgradeDBRan, ReadProblems, ErrorRecords, StartedVersion,
	SchemaBehindCode,
}

var logsOnly = []rules.Source{rules.SourceLogs}

// SchemaMismatch is HUB401.
var SchemaMismatch = &rules.Rule{
	ID: "HUB401", Name: "log-schema-mismatch", Severity: rules.Error, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "the hub refused to start because the database schema is not the one it expects",
	Doc: "The hub printed `Found database schema version X != Y` and exited: the database (revision X) " +
		"was not upgraded to the schema of the installed JupyterHub (head Y). This text is printed bare on " +
		"stderr, without a log prefix. The finding says which releases each revision belongs to.\n\n" +
		"Fix: back up the database, then run `jupyterhub upgrade-db` with the new JupyterHub installed " +
		"(or start the hub once with `--upgrade-db`).",
	Run: func(p *rules.Pass) error {
		found := func(e *logs.Event) string { return e.Param("found") + e.Param("alembic_revision") }
		report(p, events(p, hasPrefix("db.schema_mismatch")), func(e *logs.Event) string {
			return "log:db.schema_mismatch/" + found(e) + "/" + e.Param("head")
		}, func(e *logs.Event) rules.Finding {
			found, head := found(e), e.Param("head")
			return rules.Finding{
				Message: fmt.Sprintf("the hub refused to start: the database is at revision %s (%s) but the installed JupyterHub expects %s (%s); seen %s",
					found, revisionMeaning(p.KB, found), head, revisionMeaning(p.KB, head), seen(e)),
				Fix: &rules.Fix{Description: "back up the database, then migrate it with the installed JupyterHub",
					Commands: []string{"jupyterhub upgrade-db"}},
			}
		})
		return nil
	},
}

// UpgradeDBFailed is HUB402.
var UpgradeDBFailed = &rules.Rule{
	ID: "HUB402", Name: "log-upgrade-db-failed", Severity: rules.Error, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "the database upgrade or connection failed",
	Doc: "The logs show that `jupyterhub upgrade-db` (or the hub's own database check) failed: alembic " +
		"could not locate the database's revision (the database was written by a newer or unreleased " +
		"JupyterHub), the sqlite backup file already existed, or the hub could not use its database and " +
		"asked to run `jupyterhub upgrade-db`.\n\nFix: restore the backup taken before the upgrade or install " +
		"the JupyterHub release that matches the database, then run `jupyterhub upgrade-db` again.",
	Run: func(p *rules.Pass) error {
		report(p, events(p, idIs("alembic.cant_locate_revision")), func(e *logs.Event) string {
			return "log:alembic.cant_locate_revision/" + e.Param("arg1")
		}, func(e *logs.Event) rules.Finding {
			rev := e.Param("arg1")
			return rules.Finding{
				Message: fmt.Sprintf("alembic cannot locate database revision %s, which is %s; the installed JupyterHub cannot upgrade or use this database (seen %s)", rev, revisionMeaning(p.KB, rev), seen(e)),
				Fix:     &rules.Fix{Description: "install the JupyterHub release whose schema the database has, or restore the pre-upgrade backup"}}
		})
		report(p, events(p, hasPrefix("upgrade.backup_exists")), fixed("log:upgrade.backup_exists"), func(e *logs.Event) rules.Finding {
			return rules.Finding{
				Message: fmt.Sprintf("upgrade-db could not back up the sqlite database: backup file already exists: %s (seen %s)", e.Param("arg1")+e.Param("backup_db_file"), seen(e)),
				Fix:     &rules.Fix{Description: "move the old backup files (jupyterhub.sqlite.<date>) aside and run upgrade-db again", Commands: []string{"jupyterhub upgrade-db"}}}
		})
		report(p, events(p, idIs("db.try_upgrade_db", "db.connect_failed")), func(e *logs.Event) string { return "log:" + e.ID }, func(e *logs.Event) rules.Finding {
			msg := fmt.Sprintf("the hub could not use its database and suggests running `jupyterhub upgrade-db` (seen %s)", seen(e))
			if e.ID == "db.connect_failed" {
				msg = fmt.Sprintf("the hub failed to connect to its database %s (seen %s)", e.Param("arg1"), seen(e))
			}
			return rules.Finding{Message: msg}
		})
		return nil
	},
}

// VersionMismatch is HUB403.
var VersionMismatch = &rules.Rule{
	ID: "HUB403", Name: "log-version-mismatch", Severity: rules.Warning, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "the hub and single-user servers run different JupyterHub versions",
	Doc: "The hub logged `jupyterhub version X != jupyterhub-singleuser version Y`: a user environment " +
		"still has another JupyterHub than the hub, which can break authentication (redirect loops). " +
		"JupyterHub warns when the major version differs (5.0 and later) or the major.minor differs " +
		"(before 5.0); since 1.2 the warning is logged once per version pair per hub process, so the count " +
		"is a lower bound of affected servers. In `post` it is an error: since its last start the upgraded hub " +
		"has met single-user servers from environments that do not match it.\n\nFix: install the hub's JupyterHub version in the user images " +
		"or environments and restart the servers.",
	Run: func(p *rules.Pass) error {
		report(p, events(p, idIs("version.mismatch.warning")), func(e *logs.Event) string {
			return "log:version.mismatch/" + e.Param("arg1") + "/" + e.Param("arg2")
		}, func(e *logs.Event) rules.Finding {
			hub, su := e.Param("arg1"), e.Param("arg2")
			return rules.Finding{Severity: p.FailsInPost(),
				Message: fmt.Sprintf("the hub runs jupyterhub %s but single-user servers run jupyterhub-singleuser %s (warned %s)", hub, su, seen(e)),
				Fix:     &rules.Fix{Description: "install jupyterhub " + hub + " in the user environments", Commands: []string{"pip install jupyterhub==" + hub}}}
		})
		return nil
	},
}

// UnknownOption is HUB404.
var UnknownOption = &rules.Rule{
	ID: "HUB404", Name: "log-unknown-option", Severity: rules.Warning, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "the hub ignored a config option it does not recognise",
	Doc: "traitlets logged `Config option X not recognized by C`: the setting has no effect (a typo, an " +
		"option of another class, or one that was removed). The finding adds close names that the " +
		"knowledge base knows for that class in the running JupyterHub version, and the release that " +
		"removed the option when it once existed. In `post` it is an error: the upgraded hub, since its " +
		"last start, still ignores the option, so the verification fails.\n\n" +
		"Fix: correct or remove the option in jupyterhub_config.py.",
	Run: func(p *rules.Pass) error {
		report(p, events(p, idIs("traitlets.config_not_recognized")), func(e *logs.Event) string {
			return optionSubject(p, e, e.Param("klass"), e.Param("option"))
		}, func(e *logs.Event) rules.Finding {
			v, ok := runningAt(p, e)
			cls, opt := e.Param("klass"), e.Param("option")
			msg := fmt.Sprintf("c.%s.%s is not recognized by %s", cls, opt, cls)
			if ok {
				msg += " in JupyterHub " + v.String()
			}
			var hints []string
			if ok {
				at := kb.Versions{JupyterHub: v}
				if names, err := p.KB.ClassTraits(cls, at); err == nil && len(names) > 0 {
					if c := textdist.Closest(opt, names); len(c) > 0 {
						hints = append(hints, "did you mean "+strings.Join(c, " or ")+"?")
					}
				}
				if lk, err := p.KB.LookupTrait(cls, opt, at); err == nil && lk.History != nil && lk.History.RemovedIn != "" {
					// RemovedIn is the first analysed release without it;
					// RemovedExact, when known, the tag that dropped it
					// (Authenticator.blacklist: 1.2.0, not 1.2.2).
					removed := lk.History.RemovedIn
					if lk.History.RemovedExact != "" {
						removed = lk.History.RemovedExact
					}
					h := "it was removed in " + removed
					if lk.History.Replacement != "" {
						h += "; use " + lk.History.Replacement
					}
					hints = append(hints, h)
				}
			}
			if len(hints) == 0 && e.Param("did_you_mean") != "" {
				hints = append(hints, "traitlets suggests "+e.Param("did_you_mean"))
			}
			if len(hints) > 0 {
				msg += "; " + strings.Join(hints, "; ")
			}
			msg += " (" + seen(e) + ")"
			return rules.Finding{Message: msg, Severity: p.FailsInPost(), Aliases: []string{"trait:" + cls + "." + opt},
				Fix: &rules.Fix{Description: "correct or remove c." + cls + "." + opt + " in the config"}}
		})
		return nil
	},
}

// Deprecated is HUB405.
var Deprecated = &rules.Rule{
	ID: "HUB405", Name: "log-deprecated-option", Severity: rules.Warning, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "the hub warned that a config option or format is deprecated",
	Doc: "JupyterHub logged a deprecation warning (`X is deprecated in JupyterHub V, use Y`, `deprecated as " +
		"of`, `pending deprecation`, `DEPRECATED`). The finding names the option, the release that deprecated " +
		"it and its replacement, and, with --target, whether the target release still accepts it according " +
		"to the knowledge base. Other warnings that mention a deprecation are reported too. In `post` " +
		"each is an error: the upgraded hub still warns about it since its last start, so the " +
		"verification fails.\n\n" +
		"Fix: use the replacement (`hubaudit fix-config` rewrites mechanical renames).",
	Run: func(p *rules.Pass) error {
		report(p, events(p, hasPrefix("deprecation.")), func(e *logs.Event) string {
			if cls, old := e.Param("cls"), e.Param("old"); cls != "" && old != "" {
				return optionSubject(p, e, cls, old)
			}
			return "trait:" + e.Param("name")
		}, func(e *logs.Event) rules.Finding {
			name, since, repl := e.Param("name"), e.Param("version"), e.Param("replacement")
			if pkg := e.Param("package"); pkg != "" {
				since = pkg + " " + since
			}
			msg := fmt.Sprintf("%s is deprecated since %s", name, since)
			if repl != "" {
				msg += "; use " + repl
			}
			if p.Target != nil && e.Param("cls") != "" {
				lk, err := p.KB.LookupTrait(e.Param("cls"), e.Param("old"), kb.Versions{JupyterHub: p.Target.Version})
				if err == nil && lk.ClassKnown && !lk.Accepted() {
					msg += "; JupyterHub " + p.Target.Version.String() + " no longer accepts it"
				}
			}
			msg += " (" + seen(e) + ")"
			fix := &rules.Fix{Description: "replace " + name + " in the config"}
			if repl != "" {
				fix.Description = "replace " + name + " with " + repl + " in the config"
			}
			if d := switchAdvice(p, e, repl); d != "" {
				fix.Description = d
			}
			f := rules.Finding{Message: msg, Fix: fix, Severity: p.FailsInPost()}
			if cls, old := e.Param("cls"), e.Param("old"); cls != "" && old != "" {
				f.Aliases = []string{"trait:" + cls + "." + old}
			}
			return f
		})
		report(p, events(p, func(e *logs.Event) bool {
			return e.ID == "log.warning" && strings.Contains(strings.ToLower(e.Param("message")), "deprecat")
		}), func(e *logs.Event) string { return "log:deprecation/" + e.Logger + "/" + e.Param("message") }, func(e *logs.Event) rules.Finding {
			return rules.Finding{Severity: p.FailsInPost(),
				Message: fmt.Sprintf("deprecation warning: %s (%s)", e.Param("message"), seen(e))}
		})
		return nil
	},
}

// switchAdvice is the whole change when the replacement the hub named
// lives on another authenticator or spawner class
// (DummyAuthenticator.password -> SharedPasswordAuthenticator.user_password),
// "" otherwise.
func switchAdvice(p *rules.Pass, e *logs.Event, repl string) string {
	at := kb.Versions{}
	if p.Target != nil {
		at.JupyterHub = p.Target.Version
	} else if v, ok := runningAt(p, e); ok {
		at.JupyterHub = v
	}
	sw, ok := fixconfig.ClassSwitch(p.KB, at, e.Param("cls"), e.Param("old"), repl, fixconfig.Selected(p.Config)...)
	if !ok {
		return ""
	}
	return sw.Advice(p.KB, fixconfig.OptionsFor(p.Config, at.JupyterHub))
}

// NoAllowConfig is HUB406.
var NoAllowConfig = &rules.Rule{
	ID: "HUB406", Name: "log-no-allow-config", Severity: rules.Warning, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "JupyterHub 5 found no allow config: nobody may be able to log in",
	Doc: "From JupyterHub 5.0 `Authenticator.allow_all` defaults to False, and the hub logs `No allow " +
		"config found, it's possible that nobody can login to your Hub!` when neither allowed_users, " +
		"allowed_groups nor allow_all is set. Its check_allowed is `allow_all or username in allowed_users`, and " +
		"admins are merged into allowed_users only when allowed_users is set (5.0.0 auth.py and app.py): with PAM, " +
		"LocalAuthenticator, the base Authenticator (and LDAPAuthenticator 2.0) nobody can log in, admins and " +
		"existing users included; only OAuthenticator 16 and later admits admin_users by itself.\n\nFix: say who may " +
		"log in: `allowed_users` or an `allowed_*` option of the authenticator in use (named from the trait catalog when the " +
		"config was read: `allowed_organizations` for GitHub, ...). `c.Authenticator.allow_all = True` admits everyone " +
		"the authenticator accepts (with GitHub login, every GitHub account); `c.Authenticator.any_allow_config = True` " +
		"only silences the warning and lets nobody more in.",
	Run: func(p *rules.Pass) error {
		report(p, events(p, idIs("auth.no_allow_config")), fixed("log:auth.no_allow_config"), func(e *logs.Event) rules.Finding {
			fix := "set c.Authenticator.allowed_users or an allowed_* option of the authenticator; allow_all = True admits everyone the authenticator accepts"
			if ac := authenticatorOf(p); ac != "" {
				at := kb.Versions{}
				if v, ok := runningAt(p, e); ok {
					at.JupyterHub = v
				}
				fix = fmt.Sprintf("set %s; c.Authenticator.allow_all = True instead admits %s",
					strings.Join(fixconfig.AllowOptions(p.KB, ac, at), " or "), fixconfig.Admits(ac, p.KB.IsA(ac, "OAuthenticator", at)))
			}
			return rules.Finding{
				Message: "the hub found no allow config (allowed_users, allowed_groups or allow_all): since JupyterHub 5.0 nobody can log in, admins and existing users included, unless the authenticator admits admins itself (OAuthenticator 16 and later) (" + seen(e) + ")",
				Fix:     &rules.Fix{Description: fix}}
		})
		return nil
	},
}

// authenticatorOf is the authenticator class the config selects, "" when
// no config was read or it did not resolve.
func authenticatorOf(p *rules.Pass) string {
	if p.Config == nil {
		return ""
	}
	if ac := p.Config.AuthenticatorClass; ac != nil {
		return ac.Class
	}
	return "PAMAuthenticator"
}

// benign are critical-level messages of an ordinary stop.
var benign = map[string]bool{"hub.signal_shutdown": true, "singleuser.signal_stop": true}

// Traceback is HUB407.
var Traceback = &rules.Rule{
	ID: "HUB407", Name: "log-traceback", Severity: rules.Error, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "an exception traceback or a critical error was logged",
	Doc: "A Python traceback (folded with its record: exception type, message, last frame) or a CRITICAL " +
		"record that no more specific rule explains (an ordinary signal-triggered shutdown is not reported). Identical tracebacks are counted, with " +
		"the first and last time.\n\nFix: read the traceback at the given line; it usually names the " +
		"misconfigured class or the missing package.",
	Run: func(p *rules.Pass) error {
		report(p, events(p, idIs("traceback")), func(e *logs.Event) string {
			// The request or task it interrupted is left out: one failure
			// logged twice (by the spawn and by the request waiting on it)
			// is one incident.
			return "log:traceback/" + e.Param("exception") + "@" + e.Param("frame") + "/" + e.Param("message")
		}, func(e *logs.Event) rules.Finding {
			what := e.Param("exception")
			if m := e.Param("message"); m != "" {
				what += ": " + m
			}
			where := ""
			if f := e.Param("frame"); f != "" {
				where = " at " + f
			}
			ctx := ""
			if c := e.Param("context"); c != "" {
				ctx = " after " + strings.TrimSpace(c)
			}
			return rules.Finding{Message: fmt.Sprintf("traceback %s%s%s (%s)", what, where, ctx, seen(e))}
		})
		report(p, events(p, idIs("log.critical")), func(e *logs.Event) string {
			return "log:critical/" + e.ID + "/" + e.Param("message")
		}, func(e *logs.Event) rules.Finding {
			return rules.Finding{Message: fmt.Sprintf("critical error logged by %s: %s (%s)", loggerName(e), e.Text, seen(e))}
		})
		return nil
	},
}

func loggerName(e *logs.Event) string {
	if e.Logger == "" {
		return "the hub"
	}
	return e.Logger
}

// ServerErrors is HUB408.
var ServerErrors = &rules.Rule{
	ID: "HUB408", Name: "log-server-errors", Severity: rules.Warning, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "the hub answered requests with 5xx server errors",
	Doc: "HTTP access lines with a 5xx status, folded by status, method and route (query strings dropped, " +
		"id-like path segments replaced by `*`). Repeated 500s usually come with a traceback (HUB407); " +
		"502/503 on /user/ routes mean single-user servers that do not answer. Ten or more occurrences of " +
		"one route are an error.\n\nFix: look at the tracebacks or the spawner logs around the first occurrence.",
	Run: func(p *rules.Pass) error {
		report(p, events(p, idIs("hub.access")), func(e *logs.Event) string {
			return "log:http/" + e.Param("status") + "/" + e.Param("method") + "/" + e.Param("path")
		}, func(e *logs.Event) rules.Finding {
			f := rules.Finding{Message: fmt.Sprintf("%s %s %s answered %s", e.Param("status"), e.Param("method"), e.Param("path"), seen(e))}
			if e.Count >= 10 {
				f.Severity = rules.Error
			}
			return f
		})
		return nil
	},
}

// ProxyFailure is HUB409.
var ProxyFailure = &rules.Rule{
	ID: "HUB409", Name: "log-proxy-failure", Severity: rules.Error, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "the proxy failed to start or reported errors",
	Doc: "`Failed to start proxy` (the hub exits), or errors logged by configurable-http-proxy other than " +
		"the 404s and the missing custom error page it reports while the hub starts: 5xx answers and " +
		"connection failures to the hub or to single-user servers (warnings); and the hub's own " +
		"`api_request to proxy failed` errors (a 403 there means the proxy does not accept the hub's auth " +
		"token).\n\nFix: check that " +
		"configurable-http-proxy is installed (`npm install -g configurable-http-proxy`), that its port is " +
		"free, and that the hub and the servers are reachable from it.",
	Run: func(p *rules.Pass) error {
		report(p, events(p, idIs("proxy.start_failed")), fixed("log:proxy.start_failed"), func(e *logs.Event) rules.Finding {
			return rules.Finding{
				Message: "the hub failed to start the proxy and exited (" + seen(e) + ")",
				Fix:     &rules.Fix{Description: "install configurable-http-proxy and free its port", Commands: []string{"npm install -g configurable-http-proxy"}}}
		})
		report(p, events(p, idIs("proxy.api_request_failed")), func(e *logs.Event) string {
			return "log:proxy.api_request_failed/" + e.Param("e")
		}, func(e *logs.Event) rules.Finding {
			why := e.Param("e")
			hint := "check that the proxy runs and that ConfigurableHTTPProxy.api_url points at its API"
			if strings.Contains(why, "403") {
				hint = "the proxy refuses the hub's auth token: the hub and the proxy must share CONFIGPROXY_AUTH_TOKEN " +
					"(ConfigurableHTTPProxy.auth_token); a proxy left running from before the upgrade may hold another one"
			}
			return rules.Finding{
				Message: fmt.Sprintf("the hub's requests to the proxy API failed: %s (%s); %s", why, seen(e), hint),
				Fix:     &rules.Fix{Description: hint}}
		})
		report(p, events(p, func(e *logs.Event) bool {
			st, m := e.Param("status"), e.Param("message")
			return e.ID == "proxy.error" && (st == "" || st[0] == '5') && !strings.HasPrefix(m, "Failed to get custom error page")
		}), func(e *logs.Event) string {
			if st := e.Param("status"); st != "" {
				return "log:proxy.error/" + st + "/" + e.Param("method") + "/" + e.Param("path")
			}
			return "log:proxy.error/" + e.Param("message")
		}, func(e *logs.Event) rules.Finding {
			text := strings.TrimSpace(e.Param("status") + " " + e.Param("method") + " " + e.Param("path") + " " + e.Param("message"))
			return rules.Finding{Severity: rules.Warning,
				Message: fmt.Sprintf("configurable-http-proxy error: %s (%s)", text, seen(e))}
		})
		return nil
	},
}

// StoppedWhileDown is HUB410.
var StoppedWhileDown = &rules.Rule{
	ID: "HUB410", Name: "log-servers-stopped-while-down", Severity: rules.Warning, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "single-user servers stopped while the hub was down",
	Doc: "At start the hub found servers recorded as running that no longer run (`... appears to have " +
		"stopped while the Hub was down`) and removed them from the database. After an upgrade this means " +
		"the users lost their running sessions (kernels, unsaved work).\n\nFix: tell the users; plan upgrades " +
		"with `JupyterHub.cleanup_servers` and a maintenance window.",
	Run: func(p *rules.Pass) error {
		es := events(p, idIs("spawner.stopped_while_down"))
		if len(es) == 0 {
			return nil
		}
		var names []string
		var n int64
		for _, e := range es {
			names = append(names, e.Param("arg1"))
			n += e.Count
		}
		sort.Strings(names)
		shown := names
		if len(shown) > 10 {
			shown = append(shown[:10:10], fmt.Sprintf("and %d more", len(names)-10))
		}
		what := fmt.Sprintf("%d servers appear", len(names))
		if len(names) == 1 {
			what = "1 server appears"
		}
		p.Report(rules.Finding{Location: loc(es[0], "log:spawner.stopped_while_down"),
			Message: fmt.Sprintf("%s to have stopped while the hub was down (%s); their users lost their running sessions", what, strings.Join(shown, ", "))})
		return nil
	},
}

// errorish reports whether an event is an error-level problem.
func errorish(e *logs.Event) bool {
	if benign[e.ID] || e.InTraceback {
		// An exception message is counted with its traceback.
		return false
	}
	switch e.Level {
	case "error", "critical":
		if e.ID == "proxy.error" {
			st := e.Param("status")
			return (st == "" || st[0] == '5') && !strings.HasPrefix(e.Param("message"), "Failed to get custom error page")
		}
		return true
	case "bare":
		return strings.HasPrefix(e.ID, "db.schema_mismatch") || e.ID == "traceback" || e.ID == "alembic.cant_locate_revision" || strings.HasPrefix(e.ID, "upgrade.backup_exists")
	}
	return false
}

// ErrorsSinceStart is HUB411.
var ErrorsSinceStart = &rules.Rule{
	ID: "HUB411", Name: "log-errors-since-start", Severity: rules.Error, Source: rules.SourceLogs, Needs: logsOnly, Phase: rules.PhasePost,
	Title: "errors were logged since the last hub start",
	Doc: "In `post`, the logs since the last hub start (`Running JupyterHub version`) must be free of " +
		"errors: any ERROR or CRITICAL record (other than an ordinary shutdown), traceback, schema mismatch, " +
		"5xx answer or proxy failure fails the verification (unknown options and deprecation warnings fail " +
		"it too, as HUB404 and HUB405 errors). The other HUB4xx findings say what each error is. The run " +
		"begins with the warnings the hub logs while loading its config, just before its start line. When the logs hold no hub start at all, a note says the start could not be verified.\n\n" +
		"Fix: resolve the errors, restart the hub and run `hubaudit post` again.",
	Run: func(p *rules.Pass) error {
		var n, kinds int64
		var first *logs.Event
		for _, e := range p.Logs.Events {
			if errorish(e) {
				n += e.Count
				kinds++
				if first == nil {
					first = e
				}
			}
		}
		since := "in the logs"
		if k := len(p.Logs.Starts); k > 0 {
			st := p.Logs.Starts[k-1]
			since = fmt.Sprintf("since the hub (JupyterHub %s) started at %s", st.Version, st.Time)
			if st.Time == "" {
				since = fmt.Sprintf("since the hub (JupyterHub %s) started at %s:%d", st.Version, st.File, st.Line)
			}
		} else {
			f := rules.Finding{Location: rules.Location{Subject: "log:no-start"}, Severity: rules.Note,
				Message: "the logs show no hub start (no \"Running JupyterHub version\" line); the restart after the upgrade could not be verified"}
			if len(p.Logs.Files) > 0 {
				f.Location.File = p.Logs.Files[len(p.Logs.Files)-1]
			}
			p.Report(f)
		}
		if first == nil {
			return nil
		}
		p.Report(rules.Finding{Location: loc(first, "log:errors-since-start"),
			Message: fmt.Sprintf("%s %s (%d distinct) %s; first: %s", commas(n), plural(n, "error record", "error records"), kinds, since, first.Text)})
		return nil
	},
}

// UpgradeDBRan is HUB412.
var UpgradeDBRan = &rules.Rule{
	ID: "HUB412", Name: "log-upgrade-db-ran", Severity: rules.Note, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "the logs show database migrations (jupyterhub upgrade-db)",
	Doc: "alembic logged `Running upgrade X -> Y` lines: the database was migrated. The note names the " +
		"first and last revision with the releases whose schema they are, so the upgrade path can be " +
		"checked against the plan. Downgrades are reported as warnings.",
	Run: func(p *rules.Pass) error {
		var steps []*logs.Event
		for _, e := range events(p, idIs("alembic.running_step")) {
			if e.Param("step") == "upgrade" || e.Param("step") == "downgrade" {
				steps = append(steps, e)
			}
		}
		if len(steps) == 0 {
			return nil
		}
		from, to := steps[0].Param("from"), steps[len(steps)-1].Param("to")
		f := rules.Finding{Location: loc(steps[0], "log:alembic.upgrade/"+from+"/"+to),
			Message: fmt.Sprintf("the database was migrated in %d steps from %s (%s) to %s (%s)", len(steps), from, revisionMeaning(p.KB, from), to, revisionMeaning(p.KB, to))}
		for _, s := range steps {
			if s.Param("step") == "downgrade" {
				f.Severity = rules.Warning
				f.Message = strings.Replace(f.Message, "was migrated", "was migrated (with downgrades)", 1)
				break
			}
		}
		p.Report(f)
		return nil
	},
}

// ReadProblems is HUB413.
var ReadProblems = &rules.Rule{
	ID: "HUB413", Name: "log-read-problems", Severity: rules.Warning, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "part of a log could not be read",
	Doc: "A log file could not be read (permissions), a gzip file is truncated or corrupt (its readable " +
		"part was used), a file shrank while it was read (log rotation by copytruncate; the lines before " +
		"were used), a gzip stream expands beyond the safety cap (a gzip bomb or binary data), lines " +
		"contain binary data (NUL bytes) or are longer than 64 KiB (only their start was read), or there " +
		"were too many distinct events. Events in the unread part are missing from the audit.",
	Run: func(p *rules.Pass) error {
		for _, pr := range p.Logs.Problems {
			p.Report(rules.Finding{Location: rules.Location{File: pr.File, Line: int(pr.Line), Subject: "log:problem/" + pr.Kind + "/" + pr.File},
				Message: pr.Detail})
		}
		return nil
	},
}

// ErrorRecords is HUB414.
var ErrorRecords = &rules.Rule{
	ID: "HUB414", Name: "log-error-records", Severity: rules.Warning, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "the hub logged other errors",
	Doc: "ERROR records that no more specific HUB4xx rule explains, folded by logger and message, with " +
		"their count and time range. They often point at a misconfigured service, spawner or authenticator.",
	Run: func(p *rules.Pass) error {
		report(p, events(p, idIs("log.error")), func(e *logs.Event) string {
			return "log:error/" + e.Logger + "/" + e.Param("message")
		}, func(e *logs.Event) rules.Finding {
			return rules.Finding{Message: fmt.Sprintf("%s logged an error: %s (%s)", loggerName(e), e.Param("message"), seen(e))}
		})
		return nil
	},
}

// StartedVersion is HUB415.
var StartedVersion = &rules.Rule{
	ID: "HUB415", Name: "log-started-version", Severity: rules.Error, Source: rules.SourceLogs, Needs: logsOnly,
	Phase: rules.PhasePost, NeedsTarget: true,
	Title: "the hub that last started is not the target version",
	Doc: "In `post --target V`, the last `Running JupyterHub version` line of the logs must name V: " +
		"otherwise the restarted hub still runs the old JupyterHub (the upgrade was not installed where the " +
		"hub runs, or the logs are older than the restart).",
	Run: func(p *rules.Pass) error {
		k := len(p.Logs.Starts)
		if k == 0 {
			return nil
		}
		st := p.Logs.Starts[k-1]
		if st.Version == p.Target.Version.String() {
			return nil
		}
		p.Report(rules.Finding{Location: rules.Location{File: st.File, Line: int(st.Line), Subject: "log:started-version"},
			Message: fmt.Sprintf("the hub last started as JupyterHub %s at %s, not the target %s", st.Version, st.Time, p.Target.Version)})
		return nil
	},
}

// SchemaBehindCode is HUB416.
var SchemaBehindCode = &rules.Rule{
	ID: "HUB416", Name: "log-schema-behind-code", Severity: rules.Error, Source: rules.SourceLogs, Needs: logsOnly,
	Title: "the hub's queries fail on a missing column or table: the schema is older than the code",
	Doc: "A traceback in the hub log ends in the database's own error for a column or table that does not " +
		"exist (SQLite `no such column`, PostgreSQL `column ... does not exist`, MySQL/MariaDB errors 1054 and " +
		"1146). The running JupyterHub queries a schema the database does not have: `jupyterhub upgrade-db` " +
		"was not run against this database (another db_url, another file), or a migration stopped part-way " +
		"(on SQLite several are not transactional), or the database was restored from an older backup. " +
		"The finding names the missing column or table and the schema head the running release expects.\n\n" +
		"Fix: stop the hub, back up the database, check `hubaudit pre` (HUB2xx) for its revision, and run " +
		"`jupyterhub upgrade-db` with the same config (and db_url) as the hub.",
	Run: func(p *rules.Pass) error {
		report(p, events(p, hasPrefix("db_error.")), func(e *logs.Event) string {
			return "log:" + e.ID + "/" + e.Param("table") + "/" + e.Param("column")
		}, func(e *logs.Event) rules.Finding {
			what := "column " + strings.Trim(e.Param("column"), `"`)
			if e.Param("column") == "" {
				what = "table " + strings.Trim(e.Param("table"), `"`)
			} else if t := e.Param("table"); t != "" {
				what += " of table " + strings.Trim(t, `"`)
			}
			code := "the running JupyterHub"
			if v, ok := runningAt(p, e); ok {
				code = "JupyterHub " + v.String()
				if r, ok := p.KB.Release(v.String()); ok && r.AlembicHead != "" {
					code += " (schema " + r.AlembicHead + ")"
				}
			}
			return rules.Finding{
				Message: fmt.Sprintf("the database has no %s that %s queries (%s): its schema is older than the code; upgrade-db did not run on this database or stopped part-way",
					what, code, seen(e)),
				Fix: &rules.Fix{Description: "stop the hub, back up the database and run upgrade-db with the hub's own config",
					Commands: []string{"jupyterhub upgrade-db -f jupyterhub_config.py"}}}
		})
		return nil
	},
}
