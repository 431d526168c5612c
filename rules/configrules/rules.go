package configrules

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/fixconfig"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// Rules are the HUB1xx rules, in ID order.
var Rules = []*rules.Rule{
	ParseError, UnknownOption, DeprecatedOption, RemovedOption, IgnoredOption, UnknownClass, EmptyConfig,
	AllowConfig, TokenInURL, SubdomainScheme, NamedServerNames, PythonFloor, ManageGroups, SingleuserImage,
	ValueRejected, HardcodedSecret, ProxyDisruption, TLJHKeyUnknown,
}

var cfg = []rules.Source{rules.SourceConfig}

// versions pins the target JupyterHub and the companion packages the hub
// environment has installed (missing ones: the newest analysed release).
func versions(p *rules.Pass) kb.Versions {
	at := kb.Versions{Companions: map[string]pep440.Version{}}
	if p.Target != nil {
		at.JupyterHub = p.Target.Version
	}
	if p.Env == nil {
		return at
	}
	known := map[string]bool{}
	for _, c := range p.KB.Companions() {
		known[c] = true
	}
	for _, e := range p.Env.Environments {
		if e.Role != "hub" {
			continue
		}
		for name, v := range e.Packages {
			n := strings.TrimPrefix(pep440.NormalizeName(name), "jupyterhub-")
			if !known[n] {
				continue
			}
			if pv, err := pep440.Parse(v); err == nil {
				at.Companions[n] = pv
			}
		}
	}
	return at
}

// pkgNote says which package release a companion option was judged
// against.
func pkgNote(p *rules.Pass, at kb.Versions, j fixconfig.Judgement) string {
	if j.Package == "" || j.Package == "jupyterhub" || j.Package == "traitlets" {
		return ""
	}
	if v, ok := at.Companions[j.Package]; ok && !v.IsZero() {
		return fmt.Sprintf(" (%s %s installed)", j.Package, v)
	}
	return fmt.Sprintf(" (judged against %s %s, the newest known: the installed version is unknown)", j.Package, j.CatalogRelease)
}

// customClasses are the classes the config defines or imports by name.
func customClasses(f *config.Facts) map[string]bool {
	out := map[string]bool{}
	for _, c := range f.Classes {
		out[c.Name] = true
	}
	for _, im := range f.Imports {
		out[im.As] = true
	}
	return out
}

func loc(a config.Assignment) rules.Location {
	return rules.Location{File: a.File, Line: a.Line, Column: a.Column, Subject: "trait:" + a.Trait}
}

// judged runs fn on each assignment with its verdict, skipping classes
// the config defines itself.
func judged(p *rules.Pass, fn func(a config.Assignment, j fixconfig.Judgement, at kb.Versions)) error {
	at := versions(p)
	vk := versionsKey(at)
	custom := customClasses(p.Config)
	for _, a := range p.Config.Assignments {
		if a.Name() == "" {
			continue
		}
		j, err := judge(p.KB, at, vk, a.Class(), a.Name())
		if err != nil {
			return err
		}
		if (j.Status == fixconfig.UnknownClass || j.Status == fixconfig.ClassGone) && custom[a.Class()] {
			continue
		}
		fn(a, j, at)
	}
	return nil
}

// verdicts caches Judge+Final results: the knowledge base is immutable and
// several rules ask about the same options.
var verdicts sync.Map

type verdictKey struct {
	kb          *kb.KB
	class, name string
	at          string
}

func versionsKey(at kb.Versions) string {
	var b strings.Builder
	b.WriteString(at.JupyterHub.String())
	names := make([]string, 0, len(at.Companions))
	for n := range at.Companions {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString("," + n + "=" + at.Companions[n].String())
	}
	return b.String()
}

// judge returns the cached verdict on class.name at the versions at, whose
// versionsKey is vk (computed once for all the assignments of a config).
func judge(k *kb.KB, at kb.Versions, vk, class, name string) (fixconfig.Judgement, error) {
	key := verdictKey{k, class, name, vk}
	if v, ok := verdicts.Load(key); ok {
		return v.(fixconfig.Judgement), nil
	}
	j, err := fixconfig.Judge(k, at, class, name)
	if err != nil {
		return j, err
	}
	j = fixconfig.Final(k, at, j)
	verdicts.Store(key, j)
	return j, nil
}

var suggestions sync.Map

// suggest caches fixconfig.Suggest.
func suggest(k *kb.KB, at kb.Versions, class, name string) string {
	key := verdictKey{k, class, name, versionsKey(at)}
	if v, ok := suggestions.Load(key); ok {
		return v.(string)
	}
	s := fixconfig.Suggest(k, at, class, name)
	suggestions.Store(key, s)
	return s
}

// noEffect reports whether a curated replacement text says the option has
// no successor because it has no effect ("(none; setting has no effect)").
func noEffect(text string) bool {
	return strings.HasPrefix(strings.TrimLeft(text, "("), "none")
}

func renameFix(p *rules.Pass, at kb.Versions, a config.Assignment, j fixconfig.Judgement) *rules.Fix {
	if sw, ok := fixconfig.ClassSwitch(p.KB, at, a.Class(), a.Name(), j.ReplacementText, fixconfig.Selected(p.Config)...); ok {
		// The successor is an option of another class: renaming alone
		// would leave the old class running without it.
		return &rules.Fix{Description: sw.Advice(p.KB, fixconfig.OptionsFor(p.Config, at.JupyterHub))}
	}
	if j.Replacement == "" {
		if j.ReplacementText != "" && !noEffect(j.ReplacementText) {
			return &rules.Fix{Description: "use " + j.ReplacementText + " instead"}
		}
		return &rules.Fix{Description: "remove the setting"}
	}
	fx := &rules.Fix{Description: fmt.Sprintf("rename c.%s to c.%s (hubaudit fix-config does it)", a.Trait, j.Replacement)}
	cls, name, _ := strings.Cut(j.Replacement, ".")
	switch {
	case a.NameEnd > 0 && cls == a.Class():
		fx.Edits = []rules.TextEdit{{File: a.File, Start: a.NameStart, End: a.NameEnd, New: name}}
	case a.NameEnd > 0:
		fx.Edits = []rules.TextEdit{{File: a.File, Start: a.ClassStart, End: a.NameEnd, New: j.Replacement}}
	}
	return fx
}

// ParseError reports config files (or parts) that could not be analysed.
var ParseError = &rules.Rule{
	ID: "HUB100", Name: "config-syntax-error", Severity: rules.Error, Source: rules.SourceConfig, Needs: cfg,
	Title: "a config file has a syntax error or is not a Python source",
	Doc: "hubaudit parses config files statically (it never runs them). A statement that does not parse " +
		"is a statement JupyterHub cannot run either: the hub refuses to start with a SyntaxError. The " +
		"finding gives the exact line and says in plain words what is wrong; the rest of the file is " +
		"still analysed (the statement around the error is skipped).\n\n" +
		"Binary, empty-looking, non-UTF-8 and oversized files are reported here too.\n\n" +
		"Fix: correct the line, then check with `python3 -m py_compile jupyterhub_config.py`.\n\n" +
		"Example: `c.Spawner.args = ['--debug'` (a bracket never closed).",
	Run: func(p *rules.Pass) error {
		for _, e := range p.Config.ParseErrors {
			where := ""
			if e.Skipped != "" {
				where = fmt.Sprintf("; lines %s were not analysed", e.Skipped)
			}
			p.Report(rules.Finding{
				Message:  fmt.Sprintf("%s cannot be parsed: %s%s", baseName(e.File), e.Reason, where),
				Location: rules.Location{File: e.File, Line: e.Line, Column: e.Column, Subject: fmt.Sprintf("syntax:%s:%d", baseName(e.File), e.Line)},
			})
		}
		return nil
	},
}

func baseName(f string) string {
	if i := strings.LastIndexAny(f, "/\\"); i >= 0 {
		return f[i+1:]
	}
	return f
}

// UnknownOption reports names that are not options of their class.
var UnknownOption = &rules.Rule{
	ID: "HUB101", Name: "unknown-option", Severity: rules.Warning, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "an option is not known to its class at the target release",
	Doc: "`c.Class.name` sets nothing when `name` is not a configurable trait of `Class` (or of one of its " +
		"base classes) in the release that runs the config: traitlets only logs \"Config option `name` not " +
		"recognized\" and the setting is silently lost. This is usually a typo, or an option that only " +
		"exists in a newer release.\n\n" +
		"hubaudit checks every option against the target release's catalog, following base classes across " +
		"JupyterHub and the companion packages (OAuthenticator family, KubeSpawner, DockerSpawner, " +
		"BatchSpawner, LDAPAuthenticator, NativeAuthenticator, SystemdSpawner, jupyterhub-traefik-proxy's " +
		"proxies), each at the release installed in the hub environment, and suggests the nearest " +
		"real name; an option or class that only a newer release of its package has is reported with the " +
		"release that brings it. Classes defined or imported in the config are not judged.\n\n" +
		"Fix: correct the name.\n\nExample: `c.JupyterHub.cookie_max_age_dayz = 7` → did you mean `cookie_max_age_days`?",
	Run: func(p *rules.Pass) error {
		return judged(p, func(a config.Assignment, j fixconfig.Judgement, at kb.Versions) {
			switch j.Status {
			case fixconfig.Unknown:
				if viaSubclass(p, at, a) {
					return
				}
				msg := fmt.Sprintf("c.%s is not an option of %s in %s%s", a.Trait, a.Class(), releaseName(p, at, j), pkgNote(p, at, j))
				var fx *rules.Fix
				if s := suggest(p.KB, at, a.Class(), a.Name()); s != "" {
					msg += fmt.Sprintf("; did you mean %s?", s)
					fx = &rules.Fix{Description: fmt.Sprintf("rename to c.%s.%s", a.Class(), s)}
					if a.NameEnd > 0 {
						fx.Edits = []rules.TextEdit{{File: a.File, Start: a.NameStart, End: a.NameEnd, New: s}}
					}
				}
				p.Report(rules.Finding{Message: msg, Location: loc(a), Fix: fx})
			case fixconfig.NotYet:
				p.Report(rules.Finding{Message: fmt.Sprintf("c.%s first appears in %s; %s does not know it and ignores it%s", a.Trait, j.First, releaseName(p, at, j), pkgNote(p, at, j)), Location: loc(a)})
			case fixconfig.ClassGone:
				if j.First != "" {
					// A class of a newer release of its package.
					p.Report(rules.Finding{Message: fmt.Sprintf("class %s first appears in %s %s; the release in use does not have it and c.%s is ignored%s", a.Class(), j.Package, j.First, a.Trait, pkgNote(p, at, j)), Location: loc(a)})
				}
			}
		})
	},
}

// viaSubclass reports whether c.Base.name reaches an option through the
// class the config selects: traitlets merges the config sections of every
// ancestor, so c.Spawner.image configures a DockerSpawner. A class counts
// as an ancestor of the selected one when the selected class has all of
// its options.
func viaSubclass(p *rules.Pass, at kb.Versions, a config.Assignment) bool {
	for _, ch := range []*config.ClassChoice{p.Config.SpawnerClass, p.Config.AuthenticatorClass} {
		if ch == nil || ch.Class == "" || ch.Class == a.Class() {
			continue
		}
		l, err := p.KB.LookupTrait(ch.Class, a.Name(), at)
		if err != nil || !l.Accepted() {
			continue
		}
		base, err1 := p.KB.ClassTraits(a.Class(), at)
		sub, err2 := p.KB.ClassTraits(ch.Class, at)
		if err1 != nil || err2 != nil || len(base) == 0 {
			continue
		}
		have := map[string]bool{}
		for _, n := range sub {
			have[n] = true
		}
		all := true
		for _, n := range base {
			if !have[n] {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func releaseName(p *rules.Pass, at kb.Versions, j fixconfig.Judgement) string {
	if j.Package == "" || j.Package == "jupyterhub" || j.Package == "traitlets" {
		return "jupyterhub " + p.Target.Version.String()
	}
	if v, ok := at.Companions[j.Package]; ok && !v.IsZero() {
		// The installed release: its catalog is that of the newest
		// catalogued release not after it (CatalogRelease).
		return j.Package + " " + v.String()
	}
	return j.Package + " " + j.CatalogRelease
}

// DeprecatedOption reports deprecated options.
var DeprecatedOption = &rules.Rule{
	ID: "HUB102", Name: "deprecated-option", Severity: rules.Warning, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "an option is deprecated at the target release",
	Doc: "The option still works in the target release but is deprecated: JupyterHub (or the companion " +
		"package) copies the value to its replacement and logs a warning at every start, and a later " +
		"release removes it. The message gives the version that deprecated it and the replacement.\n\n" +
		"Companion options (OAuthenticator 16/17, DockerSpawner 12, KubeSpawner, LDAPAuthenticator 2.0 " +
		"renames) are judged against the version installed in the hub environment, or the newest known " +
		"release when it is unknown (the message says which).\n\n" +
		"Fix: rename the option (`hubaudit fix-config --target V` prints the diff). When the replacement is an " +
		"option of another authenticator or spawner (`DummyAuthenticator.password` -> " +
		"`SharedPasswordAuthenticator.user_password`, 5.3), a rename alone would leave the old class running " +
		"without it: the fix gives the whole change instead (select the class by its entry point, the new " +
		"options' length rules from the knowledge base, `admin_password` for the admin users, an allow config " +
		"where the old class admitted everyone by default), or says that the target has no such class.\n\n" +
		"Example: `c.Authenticator.whitelist` is deprecated since 1.2; use `c.Authenticator.allowed_users`.",
	Run: func(p *rules.Pass) error {
		return judged(p, func(a config.Assignment, j fixconfig.Judgement, at kb.Versions) {
			if j.Status != fixconfig.Deprecated {
				return
			}
			msg := fmt.Sprintf("c.%s is deprecated", a.Trait)
			switch {
			case j.Since != "" && j.SinceStated:
				msg += " since " + j.Since
			case j.Since != "":
				msg += " (marked deprecated from " + j.Since + " at the latest)"
			}
			msg += fmt.Sprintf(" and still accepted by %s%s", releaseName(p, at, j), pkgNote(p, at, j))
			msg += useText(j)
			if sw, ok := fixconfig.ClassSwitch(p.KB, at, a.Class(), a.Name(), j.ReplacementText, fixconfig.Selected(p.Config)...); ok {
				msg += fmt.Sprintf(", which takes effect only with %s selected (the fix gives the whole change)", sw.To)
			}
			p.Report(rules.Finding{Message: msg, Location: loc(a), Fix: renameFix(p, at, a, j)})
		})
	},
}

// RemovedOption reports options (and classes) that no longer exist.
var RemovedOption = &rules.Rule{
	ID: "HUB103", Name: "removed-option", Severity: rules.Error, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "an option or class was removed before the target release",
	Doc: "The option was a real option in an earlier release and the target release no longer has it, so " +
		"after the upgrade the setting is silently ignored (traitlets logs \"not recognized\"). Whatever " +
		"it configured falls back to the default, which is how upgrades break quietly. The same applies " +
		"to a whole class that no longer exists.\n\n" +
		"Examples: the `statsd_*` options of `JupyterHub` in 6.0; renamed companion options after their " +
		"deprecation period.\n\nFix: use the replacement named in the message, or remove the setting.",
	Run: func(p *rules.Pass) error {
		return judged(p, func(a config.Assignment, j fixconfig.Judgement, at kb.Versions) {
			switch j.Status {
			case fixconfig.Removed:
				msg := fmt.Sprintf("c.%s is not an option in %s (last accepted in %s %s) and is ignored%s", a.Trait, releaseName(p, at, j), pkgOr(j.Package), j.Last, pkgNote(p, at, j))
				msg += useText(j)
				p.Report(rules.Finding{Message: msg, Location: loc(a), Fix: renameFix(p, at, a, j)})
			case fixconfig.ClassGone:
				if j.First != "" {
					return // not gone: not there yet (HUB101)
				}
				p.Report(rules.Finding{
					Message:  fmt.Sprintf("class %s no longer exists in the %s release in use; c.%s is ignored", a.Class(), pkgOr(j.Package), a.Trait),
					Location: rules.Location{File: a.File, Line: a.Line, Column: a.Column, Subject: "class:" + a.Class()},
				})
			}
		})
	},
}

// useText is "; use c.X.y" for a mechanical replacement, "; use <text>"
// for another one, "" when none is known.
func useText(j fixconfig.Judgement) string {
	switch {
	case j.Replacement != "":
		return "; use c." + j.Replacement
	case noEffect(j.ReplacementText):
		return "; it has no effect: remove it"
	case strings.HasPrefix(j.ReplacementText, "("):
		return "; " + strings.Trim(j.ReplacementText, "()")
	case j.ReplacementText != "":
		return "; use " + j.ReplacementText
	}
	return ""
}

func pkgOr(p string) string {
	if p == "" {
		return "jupyterhub"
	}
	return p
}

// IgnoredOption reports names that are accepted without effect.
var IgnoredOption = &rules.Rule{
	ID: "HUB104", Name: "ignored-option", Severity: rules.Error, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "an option is silently ignored at the target release",
	Doc: "Some renamed options are still listed in a deprecation table but no trait is declared for them " +
		"any more, or are still declared but read by nothing, so setting them has no effect at all. The " +
		"best-known case is `Authenticator.blacklist` since 1.2: the users it lists are NOT blocked; the " +
		"config must use `blocked_users`. Likewise `LocalAuthenticator.group_whitelist` since 1.2 admits " +
		"nobody (and logs nothing); the config must use `allowed_groups`.\n\n" +
		"Fix: rename to the replacement (`hubaudit fix-config`).",
	Run: func(p *rules.Pass) error {
		return judged(p, func(a config.Assignment, j fixconfig.Judgement, at kb.Versions) {
			if j.Status != fixconfig.Ignored {
				return
			}
			msg := fmt.Sprintf("c.%s is silently ignored by %s%s", a.Trait, releaseName(p, at, j), pkgNote(p, at, j))
			if j.Since != "" {
				msg += " (renamed in " + j.Since + ")"
			}
			msg += useText(j)
			p.Report(rules.Finding{Message: msg, Location: loc(a), Fix: renameFix(p, at, a, j)})
		})
	},
}

// UnknownClass reports sections for classes no catalog knows.
var UnknownClass = &rules.Rule{
	ID: "HUB105", Name: "unknown-class", Severity: rules.Note, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "options are set on a class that neither JupyterHub nor a known companion defines",
	Doc: "traitlets accepts settings for any class name and applies them only if a class of that name is " +
		"loaded. A section for a class that JupyterHub and the known companion packages do not define, and " +
		"that the config neither defines nor imports, is either for a package hubaudit has no catalog for " +
		"or a typo (`c.Jupyterhub.port`), in which case it does nothing.\n\nFix: check the class name.",
	Run: func(p *rules.Pass) error {
		seen := map[string]bool{}
		return judged(p, func(a config.Assignment, j fixconfig.Judgement, at kb.Versions) {
			if j.Status != fixconfig.UnknownClass || seen[a.Class()] {
				return
			}
			seen[a.Class()] = true
			msg := fmt.Sprintf("class %s is not defined by jupyterhub %s or a known companion package, nor in the config; its settings apply only if a class of that name is loaded", a.Class(), p.Target.Version)
			if s := suggestClass(p, at, a.Class()); s != "" {
				msg += fmt.Sprintf("; did you mean %s?", s)
			}
			p.Report(rules.Finding{Message: msg, Location: rules.Location{File: a.File, Line: a.Line, Column: a.Column, Subject: "class:" + a.Class()}})
		})
	},
}

func suggestClass(p *rules.Pass, at kb.Versions, class string) string {
	names, err := p.KB.ClassNames(at)
	if err != nil {
		return ""
	}
	for _, n := range names {
		if strings.EqualFold(n, class) {
			return n
		}
	}
	return ""
}

// EmptyConfig reports empty config files.
var EmptyConfig = &rules.Rule{
	ID: "HUB106", Name: "empty-config", Severity: rules.Note, Source: rules.SourceConfig, Needs: cfg,
	Title: "a config file is empty",
	Doc: "An empty `jupyterhub_config.py` is valid: the hub runs with every default (PAM login, local " +
		"processes, a SQLite database in the working directory). That is rarely what a deployment that is " +
		"being upgraded means, so hubaudit says so: perhaps the real config lives elsewhere (pass it with " +
		"`--config`) or was truncated.",
	Run: func(p *rules.Pass) error {
		for _, f := range p.Config.EmptyFiles {
			p.Report(rules.Finding{Message: fmt.Sprintf("%s is empty: the hub runs with every default; pass the real config with --config if it lives elsewhere", baseName(f)),
				Location: rules.Location{File: f, Subject: "file:" + baseName(f)}})
		}
		return nil
	},
}

// firstRelease is the first release (per the knowledge base) that has
// JupyterHub option class.name.
func firstRelease(p *rules.Pass, class, name string) (pep440.Version, bool) {
	h, err := p.KB.TraitHistory("jupyterhub", class, name)
	if err != nil || h == nil || h.FirstRelease == "" {
		return pep440.Version{}, false
	}
	v, err := pep440.Parse(h.FirstRelease)
	return v, err == nil
}

// crosses reports whether the upgrade from the current version (unknown:
// assumed older) to the target passes release v.
func crosses(p *rules.Pass, v pep440.Version) bool {
	if p.Target == nil || p.Target.Version.Less(v) {
		return false
	}
	return p.Current.IsZero() || p.Current.Less(v)
}

func fromText(p *rules.Pass) string {
	if p.Current.IsZero() {
		return "the current version is unknown"
	}
	return "upgrading from " + p.Current.String()
}

// setting returns the last assignment to trait (by exact name).
func setting(f *config.Facts, traits ...string) (config.Assignment, bool) {
	var out config.Assignment
	found := false
	for _, a := range f.Assignments {
		for _, t := range traits {
			if a.Trait == t {
				out, found = a, true
			}
		}
	}
	return out, found
}

func anchor(f *config.Facts, traits ...string) rules.Location {
	if a, ok := setting(f, traits...); ok {
		return rules.Location{File: a.File, Line: a.Line, Column: a.Column}
	}
	if len(f.Files) > 0 {
		return rules.Location{File: f.Files[0]}
	}
	return rules.Location{}
}

// AllowConfig reports a config without allow rules when the upgrade
// crosses the release where allow_all stopped defaulting to everyone.
var AllowConfig = &rules.Rule{
	ID: "HUB110", Name: "allow-config-required", Severity: rules.Error, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "no allow config: after the upgrade nobody new can log in",
	Doc: "JupyterHub 5.0 introduced `Authenticator.allow_all` (default False) and `allow_existing_users`. " +
		"A config that sets none of the allow options (`allowed_users`, `allow_all`, `allow_existing_users`, " +
		"or an authenticator's `allowed_*` options such as OAuthenticator's `allowed_organizations`) lets " +
		"nobody in after 5.0: `check_allowed` is `allow_all or username in allowed_users`, and admins are merged " +
		"into allowed_users only when it is set (5.0.0 auth.py, app.py), so with PAM, LocalAuthenticator, the " +
		"base Authenticator (and LDAPAuthenticator 2.0) admins and existing users are locked out too. Only " +
		"OAuthenticator 16 and later admits admin_users itself (oauth2.py), and it already required an allow " +
		"config on JupyterHub 4. The fix names the allow options of the authenticator in use (from the trait " +
		"catalog) and says what `allow_all` would admit.\n\n" +
		"The release is read from the knowledge base (the first release with `Authenticator.allow_all`). " +
		"When the config hands its config object to other code (`configurer.apply_config(cfg, c)` in The " +
		"Littlest JupyterHub, a plugin hook, `exec`) or loads a subconfig hubaudit could not read, that code " +
		"may set the allow config: the finding is then a warning that names it.\n\n" +
		"Fix: say who may log in: `c.Authenticator.allow_all = True` to keep the old behaviour (anyone " +
		"the identity provider authenticates), or `c.Authenticator.allowed_users = {...}` / an " +
		"`allowed_*` option of your authenticator.",
	Run: func(p *rules.Pass) error {
		v, ok := firstRelease(p, "Authenticator", "allow_all")
		if !ok || !crosses(p, v) {
			return nil
		}
		if ac := p.Config.AuthenticatorClass; ac != nil && ac.Class != "" {
			pkg := ac.Package
			if pkg == "" {
				pkg = "jupyterhub"
			}
			// An authenticator whose own default keeps admitting everyone
			// (DummyAuthenticator), per the knowledge base.
			if _, ok := p.KB.SubclassDefault(pkg, ac.Class, "allow_all", p.Target.Version); ok {
				return nil
			}
		}
		allowName := func(n string) bool {
			return n == "allow_all" || n == "allow_existing_users" || n == "whitelist" || strings.HasPrefix(n, "allowed_")
		}
		// A custom authenticator defined in the config that sets an allow
		// option in its class body (allow_all = True, as jupyterhub's
		// examples/forced-login does) or decides itself (check_allowed),
		// in it or a custom base.
		if ac := p.Config.AuthenticatorClass; ac != nil && ac.Custom {
			for _, m := range customMembers(p.Config, ac.Class) {
				if allowName(m) || m == "check_allowed" {
					return nil
				}
			}
		}
		at := versions(p)
		vk := versionsKey(at)
		for _, a := range p.Config.Assignments {
			n := a.Name()
			if a.Class() == "JupyterHub" || strings.HasSuffix(a.Class(), "Spawner") {
				continue
			}
			if allowName(n) {
				return nil
			}
			// An old name the installed release still forwards to an allow
			// option (GitHubOAuthenticator.github_organization_whitelist ->
			// allowed_organizations in OAuthenticator 16) is allow config.
			if j, err := judge(p.KB, at, vk, a.Class(), n); err == nil && j.Status == fixconfig.Deprecated {
				if _, rn, ok := strings.Cut(j.ReplacementText, "."); ok && allowName(rn) {
					return nil
				}
			}
		}
		l := anchor(p.Config, "JupyterHub.authenticator_class")
		l.Subject = "behaviour:allow_all"
		// jupyterhub 5.0 app.py merges admin_users into allowed_users only
		// when allowed_users is set, and Authenticator.check_allowed is
		// "allow_all or username in allowed_users": with no allow config
		// the base Authenticator, PAM, Local (and LDAPAuthenticator 2.0)
		// let nobody in, admins and existing users included. Only
		// OAuthenticator (from 16) admits admin_users itself (oauth2.py).
		cls := "Authenticator"
		if ac := p.Config.AuthenticatorClass; ac != nil && ac.Class != "" {
			cls = ac.Class
		} else if ac != nil && ac.Value != "" {
			// Selected but not resolved (HUB3xx says why): whom it
			// admits is unknown, and so are its own options.
			cls = ac.Value
		}
		oauth := p.KB.IsA(cls, "OAuthenticator", at)
		who := "nobody, not even the admin users or the existing users,"
		if oauth && len(p.Config.AdminUsers) > 0 {
			who = "nobody but the admin users (" + strings.Join(p.Config.AdminUsers, ", ") + ")"
		}
		extra := ""
		if ac := p.Config.AuthenticatorClass; ac != nil && ac.Custom {
			extra = " unless " + ac.Class + " overrides check_allowed"
		}
		narrow := fixconfig.AllowOptions(p.KB, cls, at)
		f := rules.Finding{
			Message: fmt.Sprintf("no allow config: from jupyterhub %s Authenticator.allow_all defaults to False, so %s can log in after the upgrade to %s%s (%s); say who may log in with %s",
				v, who, p.Target.Version, extra, fromText(p), strings.Join(narrow, " or ")),
			Location: l,
			Fix:      &rules.Fix{Description: fmt.Sprintf("set %s; c.Authenticator.allow_all = True instead admits %s", strings.Join(narrow, " or "), fixconfig.Admits(cls, oauth))},
		}
		if hidden, at := unseenCode(p.Config); hidden != "" {
			// The config may set it where hubaudit cannot look.
			f.Severity = rules.Warning
			if _, ok := setting(p.Config, "JupyterHub.authenticator_class"); !ok {
				f.Location = rules.Location{File: at.File, Line: at.Line, Subject: l.Subject}
			}
			f.Message = "no allow config in what hubaudit can read, and " + hidden + ", which may set one: " +
				"check it, because " + strings.TrimPrefix(f.Message, "no allow config: ")
		}
		p.Report(f)
		return nil
	},
}

// customMembers returns the names bound in the body of the config's own
// class name and of its bases that the config defines too.
func customMembers(c *config.Facts, name string) []string {
	classes := map[string]config.ClassDef{}
	for _, cd := range c.Classes {
		classes[cd.Name] = cd
	}
	var out []string
	seen := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		cd, ok := classes[n]
		if !ok || seen[n] {
			return
		}
		seen[n] = true
		out = append(out, cd.Members...)
		for _, b := range cd.Bases {
			walk(b[strings.LastIndexByte(b, '.')+1:])
		}
	}
	walk(name)
	return out
}

// hedged returns f with a note that code hubaudit does not read may make
// the setting whose absence f concludes from (what names it). HUB110,
// whose conclusion is an error, does more: it lowers itself to a warning.
func hedged(c *config.Facts, f rules.Finding, what string) rules.Finding {
	if hidden, _ := unseenCode(c); hidden != "" {
		f.Message += "; but " + hidden + ", which may set " + what + ": check it"
	}
	return f
}

// unseenCode describes the first place where the config runs code that
// hubaudit does not read ("" when there is none): a call that is handed
// the config object, exec, or a load_subconfig whose file was not read.
func unseenCode(f *config.Facts) (string, config.Handoff) {
	for _, h := range f.Handoffs {
		if h.Call == "exec" {
			return fmt.Sprintf("the config runs exec(...) at %s:%d", baseName(h.File), h.Line), h
		}
		return fmt.Sprintf("the config hands its config object to %s at %s:%d", h.Call, baseName(h.File), h.Line), h
	}
	for _, sc := range f.Subconfigs {
		if !sc.Found {
			return fmt.Sprintf("load_subconfig(%s) at %s:%d loads a file hubaudit did not read", sc.Target, baseName(sc.File), sc.Line),
				config.Handoff{File: sc.File, Line: sc.Line}
		}
	}
	return "", config.Handoff{}
}

// changedIn returns the versions a trait's help states as versionchanged
// at the target release.
func changedIn(p *rules.Pass, class, name string) []pep440.Version {
	l, err := p.KB.LookupTrait(class, name, kb.Versions{JupyterHub: p.Target.Version})
	if err != nil || !l.Found {
		return nil
	}
	var out []pep440.Version
	for _, s := range strings.Split(l.Trait.VersionChanged, ",") {
		if v, err := pep440.Parse(strings.TrimSpace(s)); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// TokenInURL reports the end of tokens in URLs.
var TokenInURL = &rules.Rule{
	ID: "HUB111", Name: "token-in-url", Severity: rules.Note, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "API tokens in URLs stop working after the upgrade",
	Doc: "JupyterHub 5.0 changed `HubAuth.allow_token_in_url` so that single-user servers and services " +
		"no longer accept API tokens passed as `?token=...` in URLs (the knowledge base records the " +
		"versionchanged of that option). Links, scripts and dashboards that authenticate that way get " +
		"403 after the upgrade.\n\nFix: send tokens in the `Authorization: token ...` header; if that is " +
		"not possible yet, set `JUPYTERHUB_ALLOW_TOKEN_IN_URL=1` in `c.Spawner.environment` for the " +
		"transition. When the config hands its config object to code hubaudit does not read (or loads " +
		"a subconfig it could not read), the finding names that code, which may set it.",
	Run: func(p *rules.Pass) error {
		for _, v := range changedIn(p, "HubAuth", "allow_token_in_url") {
			if !crosses(p, v) {
				continue
			}
			for _, a := range p.Config.Assignments {
				if m, ok := a.Value.(map[string]any); ok && strings.HasSuffix(a.Trait, ".environment") {
					if _, ok := m["JUPYTERHUB_ALLOW_TOKEN_IN_URL"]; ok {
						return nil
					}
				}
			}
			l := anchor(p.Config, "JupyterHub.spawner_class")
			l.Subject = "behaviour:token_in_url"
			p.Report(hedged(p.Config, rules.Finding{
				Message:  fmt.Sprintf("from jupyterhub %s single-user servers and services refuse API tokens in URLs (?token=...); anything using them breaks after the upgrade to %s unless JUPYTERHUB_ALLOW_TOKEN_IN_URL=1 is set in c.Spawner.environment", v, p.Target.Version),
				Location: l,
				Fix:      &rules.Fix{Description: "pass tokens in the Authorization header, or set c.Spawner.environment = {'JUPYTERHUB_ALLOW_TOKEN_IN_URL': '1'} during the transition"},
			}, "c.Spawner.environment"))
			return nil
		}
		return nil
	},
}

// SubdomainScheme reports the 5.0 change of the user subdomain scheme.
var SubdomainScheme = &rules.Rule{
	ID: "HUB112", Name: "subdomain-scheme-change", Severity: rules.Warning, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "user and service subdomains move to a new scheme after the upgrade",
	Doc: "With `c.JupyterHub.subdomain_host` set, JupyterHub 5.0 introduced `JupyterHub.subdomain_hook` " +
		"and changed the default scheme (`idna`): some user servers and all services get different host " +
		"names, which breaks DNS records, TLS certificates and bookmarks made for the old names.\n\n" +
		"Fix: keep the old names with `c.JupyterHub.subdomain_hook = \"legacy\"`, or prepare DNS and " +
		"certificates for the new ones and set `\"idna\"` explicitly. When the config hands its config " +
		"object to code hubaudit does not read, the finding names that code, which may set the hook.",
	Run: func(p *rules.Pass) error {
		v, ok := firstRelease(p, "JupyterHub", "subdomain_hook")
		if !ok || !crosses(p, v) {
			return nil
		}
		a, ok := setting(p.Config, "JupyterHub.subdomain_host")
		if !ok || a.ValueKind == "literal" && a.Value == "" {
			return nil
		}
		if _, ok := setting(p.Config, "JupyterHub.subdomain_hook"); ok {
			return nil
		}
		l := loc(a)
		l.Subject = "behaviour:subdomain_hook"
		p.Report(hedged(p.Config, rules.Finding{
			Message:  fmt.Sprintf("c.JupyterHub.subdomain_host is set and jupyterhub %s changes the default subdomain scheme (new JupyterHub.subdomain_hook); some user servers and all services move to new host names after the upgrade to %s", v, p.Target.Version),
			Location: l,
			Fix:      &rules.Fix{Description: "set c.JupyterHub.subdomain_hook = \"legacy\" to keep the old host names, or \"idna\" after updating DNS and certificates"},
		}, "c.JupyterHub.subdomain_hook"))
		return nil
	},
}

// NamedServerNames reports the 6.0 restrictions on named-server names.
var NamedServerNames = &rules.Rule{
	ID: "HUB113", Name: "named-server-names", Severity: rules.Warning, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "named servers: the target restricts server names",
	Doc: "JupyterHub 6 restricts the names of named servers and adds " +
		"`JupyterHub.allow_existing_invalid_named_servers` to decide what happens to existing servers " +
		"whose names break the new rules (keep, rename, refuse). A config with " +
		"`allow_named_servers = True` that does not choose is upgraded with the default policy.\n\n" +
		"Fix: list the named servers (the database rules count them), and set " +
		"`c.JupyterHub.allow_existing_invalid_named_servers` deliberately.",
	Run: func(p *rules.Pass) error {
		a, ok := setting(p.Config, "JupyterHub.allow_named_servers")
		if !ok || a.Value != true {
			return nil
		}
		l, err := p.KB.LookupTrait("JupyterHub", "allow_existing_invalid_named_servers", kb.Versions{JupyterHub: p.Target.Version})
		if err != nil || !l.Found {
			return nil
		}
		if !p.Current.IsZero() {
			c, err := p.KB.LookupTrait("JupyterHub", "allow_existing_invalid_named_servers", kb.Versions{JupyterHub: p.Current})
			if err == nil && c.Found {
				return nil
			}
		}
		if _, ok := setting(p.Config, "JupyterHub.allow_existing_invalid_named_servers"); ok {
			return nil
		}
		lc := loc(a)
		lc.Subject = "behaviour:named_server_names"
		p.Report(rules.Finding{
			Message:  fmt.Sprintf("named servers are enabled and jupyterhub %s restricts server names; set c.JupyterHub.allow_existing_invalid_named_servers to choose what happens to existing servers with invalid names", p.Target.Version),
			Location: lc,
		})
		return nil
	},
}

// PythonFloor notes the Python floor of the target.
var PythonFloor = &rules.Rule{
	ID: "HUB114", Name: "python-floor", Severity: rules.Note, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true, Phase: rules.PhasePre,
	Title: "the target release needs a newer Python in the hub and user environments",
	Doc: "Each JupyterHub release states the Python versions it supports (`Requires-Python`). When the " +
		"target's floor is higher than the current release's, both the hub environment and every user " +
		"environment (which runs `jupyterhub-singleuser`) must be upgraded first. This is a reminder from " +
		"the config audit; the environment rules (HUB3xx) check the installed Pythons.",
	Run: func(p *rules.Pass) error {
		floor := p.Target.RequiresPython.String()
		if floor == "" {
			return nil
		}
		if cur, ok := p.CurrentRelease(); ok && cur.RequiresPython.String() == floor {
			return nil
		}
		gaps := floorGaps(p)
		if len(gaps) == 0 {
			// Every environment's Python is known and satisfies it: the
			// note would only be noise (HUB3xx judges them anyway).
			return nil
		}
		l := anchor(p.Config)
		l.Subject = "python:floor"
		p.Report(rules.Finding{
			Message: fmt.Sprintf("jupyterhub %s requires Python %s in the hub environment and in every user environment (%s); %s",
				p.Target.Version, floor, fromText(p), strings.Join(gaps, "; ")),
			Location: l,
		})
		return nil
	},
}

// floorGaps says why the target's Requires-Python cannot be confirmed for
// every environment: an environment that was not audited, one whose Python
// is not known (a package list does not record it), or one outside the
// floor. None means the hub environment and at least one user environment
// were read, each with a known Python inside the floor.
func floorGaps(p *rules.Pass) []string {
	var gaps []string
	if p.Env == nil || p.Env.Hub() == nil {
		gaps = append(gaps, "the hub environment was not audited")
	}
	if p.Env == nil || len(p.Env.Users()) == 0 {
		gaps = append(gaps, "no user environment was audited")
	}
	if p.Env == nil {
		return gaps
	}
	for _, e := range p.Env.Environments {
		name := "the hub environment " + e.Path
		if e.Role != env.RoleHub {
			name = fmt.Sprintf("user environment %q (%s)", e.Name, e.Path)
		}
		py, err := pep440.Parse(e.Python)
		switch {
		case e.Python == "" || err != nil:
			gaps = append(gaps, "the Python version of "+name+" is not known")
		case !p.Target.RequiresPython.Contains(py):
			gaps = append(gaps, name+" has Python "+e.Python)
		}
	}
	return gaps
}

// ManageGroups reports the stricter manage_groups contract of 5.0.
var ManageGroups = &rules.Rule{
	ID: "HUB115", Name: "manage-groups-contract", Severity: rules.Warning, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "manage_groups is on: the authenticator must now return groups",
	Doc: "With `Authenticator.manage_groups = True`, JupyterHub 5.0 requires `authenticate()` to return a " +
		"`groups` field (use `\"groups\": None` to leave membership unchanged); before 5.0 a missing field " +
		"was silently accepted. An authenticator that does not implement group management (or a custom " +
		"one written for 4.x) makes every login fail with an error after the upgrade.\n\n" +
		"The release is read from the knowledge base: the release that introduced " +
		"`Authenticator.manage_roles`, which came with the same stricter authentication-model contract.\n\n" +
		"Fix: check that the authenticator (and its installed version) returns `groups`, or turn " +
		"`manage_groups` off.",
	Run: func(p *rules.Pass) error {
		v, ok := firstRelease(p, "Authenticator", "manage_roles")
		if !ok || !crosses(p, v) {
			return nil
		}
		for _, a := range p.Config.Assignments {
			if a.Name() != "manage_groups" || a.Value != true {
				continue
			}
			who := "the authenticator"
			if ac := p.Config.AuthenticatorClass; ac != nil && ac.Class != "" {
				who = ac.Class
			}
			p.Report(rules.Finding{
				Message:  fmt.Sprintf("c.%s is True: from jupyterhub %s %s must return a groups field from authenticate() or every login fails (%s)", a.Trait, v, who, fromText(p)),
				Location: rules.Location{File: a.File, Line: a.Line, Column: a.Column, Subject: "behaviour:manage_groups"},
			})
		}
		return nil
	},
}

// ValueRejected reports literal values that an option's validator refuses
// at the target release.
var ValueRejected = &rules.Rule{
	ID: "HUB117", Name: "value-rejected", Severity: rules.Error, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true,
	Title: "a value is refused by its option's validator: the hub does not start",
	Doc: "Some options check their value when the config is loaded, and a value they refuse stops the hub " +
		"with a ValueError. The knowledge base records these checks (kb/extra/trait_constraints.tsv): from " +
		"jupyterhub 5.3 `SharedPasswordAuthenticator.user_password` needs at least 8 characters and " +
		"`admin_password` at least 32 (and must differ from it, which hubaudit cannot check: it keeps no " +
		"values). Only values written literally in the config, " +
		"or read from an environment variable hubaudit was given, are judged; the value itself is never shown.\n\n" +
		"Fix: choose a value that meets the rule (for a password: a long random one, read from the environment).",
	Run: func(p *rules.Pass) error {
		at := versions(p)
		sel := fixconfig.Selected(p.Config)
		for _, a := range p.Config.Assignments {
			if a.ValueKind != "literal" || a.Op != "=" {
				continue
			}
			// c.Base.x configures the selected subclass too.
			classes := []string{a.Class()}
			for _, s := range sel {
				if s != a.Class() && p.KB.IsA(s, a.Class(), at) {
					classes = append(classes, s)
				}
			}
			for _, cls := range classes {
				pkg, ok, err := p.KB.KnownClass(cls)
				if err != nil || !ok {
					continue
				}
				v := at.JupyterHub
				if pv, ok := at.Companions[pkg]; ok {
					v = pv
				}
				if n, ok := p.KB.MinLength(pkg, cls, a.Name(), v); ok && a.Length < n && (a.Length > 0 || a.Value != nil && a.Value != "") {
					p.Report(rules.Finding{Location: loc(a), Fix: &rules.Fix{Description: fmt.Sprintf("set c.%s to a value of at least %d characters", a.Trait, n)},
						Message: fmt.Sprintf("c.%s is shorter than the %d characters %s %s's %s.%s needs: the hub refuses to start (ValueError); value not shown",
							a.Trait, n, pkg, v, cls, a.Name())})
					break
				}
			}
		}
		return nil
	},
}

// HardcodedSecret reports secrets written in the config.
var HardcodedSecret = &rules.Rule{
	ID: "HUB120", Name: "hardcoded-secret", Severity: rules.Note, Source: rules.SourceConfig, Needs: cfg,
	Title: "a secret is written literally in a config file",
	Doc: "Cookie secrets, API tokens, OAuth client secrets, proxy tokens and database passwords written in " +
		"`jupyterhub_config.py` or `values.yaml` end up in backups, repositories and support tickets. " +
		"hubaudit never prints the value.\n\nFix: read it from the environment " +
		"(`os.environ[\"...\"]`), from a file only the hub can read (`cookie_secret_file`), or from a " +
		"Kubernetes secret; rotate any secret that was committed.",
	Run: func(p *rules.Pass) error {
		for _, s := range p.Config.Secrets {
			what := strings.TrimPrefix(strings.TrimPrefix(s.Subject, "trait:"), "yaml:")
			desc := map[string]string{"cookie_secret": "the cookie secret", "api_token": "API tokens", "client_secret": "an OAuth client secret",
				"db_password": "a database password", "proxy_token": "the proxy auth token", "password": "a password", "secret": "a secret"}[s.Kind]
			if desc == "" {
				desc = "a secret"
			}
			p.Report(rules.Finding{
				Message:  fmt.Sprintf("%s holds %s written in %s (value not shown); read it from the environment or a protected file instead", what, desc, baseName(s.File)),
				Location: rules.Location{File: s.File, Line: s.Line, Column: s.Column, Subject: "secret:" + what},
			})
		}
		return nil
	},
}

// ProxyDisruption says whether users lose running servers during the
// upgrade.
var ProxyDisruption = &rules.Rule{
	ID: "HUB130", Name: "proxy-disruption", Severity: rules.Warning, Source: rules.SourceConfig, Needs: cfg, NeedsTarget: true, Phase: rules.PhasePre,
	Title: "users lose their running servers or connections during the upgrade",
	Doc: "By default the hub starts and stops its own proxy (ConfigurableHTTPProxy) and stops every " +
		"single-user server when it shuts down (`cleanup_servers = True`): during the upgrade every user " +
		"loses their running server and unsaved kernel state. With an external proxy " +
		"(`c.ConfigurableHTTPProxy.should_start = False`, as in Zero to JupyterHub) and " +
		"`cleanup_servers = False`, running servers keep serving while the hub restarts.\n\n" +
		"Fix: warn users and schedule the upgrade, or run the proxy outside the hub and set " +
		"`c.JupyterHub.cleanup_servers = False`. When the config hands its config object to code " +
		"hubaudit does not read, the finding names that code, which may change these settings. When the " +
		"database was read and no server is running, there is nothing to disrupt and nothing is reported.",
	Run: func(p *rules.Pass) error {
		f := p.Config
		cleanup := f.CleanupServers == nil || *f.CleanupServers
		l := rules.Location{Subject: "upgrade:user_disruption"}
		if f.Proxy.From != "" {
			l = anchor(f, "ConfigurableHTTPProxy.should_start", "Proxy.should_start", "JupyterHub.proxy_class")
			l.Subject = "upgrade:user_disruption"
		} else if len(f.Files) > 0 {
			l.File = f.Files[0]
		}
		if p.DB != nil {
			if n, ok := p.DB.Counts["servers_running"]; ok && n == 0 {
				// Nothing runs: the upgrade has no server to stop and no
				// connection to cut.
				return nil
			}
		}
		switch {
		case f.Proxy.External && !cleanup:
			p.Report(rules.Finding{Severity: rules.Note, Location: l,
				Message: fmt.Sprintf("the proxy (%s) runs outside the hub and cleanup_servers is False: running user servers stay up and reachable while the hub restarts for %s", f.Proxy.Class, p.Target.Version)})
		case f.Proxy.External:
			p.Report(hedged(f, rules.Finding{Location: l,
				Message: fmt.Sprintf("the proxy (%s) runs outside the hub, but cleanup_servers is True: every running user server is stopped when the hub stops for the upgrade to %s; set c.JupyterHub.cleanup_servers = False to keep them", f.Proxy.Class, p.Target.Version)},
				"c.JupyterHub.cleanup_servers"))
		case !cleanup:
			p.Report(hedged(f, rules.Finding{Location: l,
				Message: fmt.Sprintf("the hub starts its own proxy (%s): users lose their connections while the hub restarts for %s (servers keep running because cleanup_servers is False)", f.Proxy.Class, p.Target.Version)},
				"the proxy settings"))
		default:
			p.Report(hedged(f, rules.Finding{Location: l,
				Message: fmt.Sprintf("the hub starts its own proxy (%s) and cleanup_servers is True: every user loses their running server during the upgrade to %s", f.Proxy.Class, p.Target.Version)},
				"the proxy settings or c.JupyterHub.cleanup_servers"))
		}
		return nil
	},
}

// Suppressions turns the config's inline "# hubaudit: ignore[...]"
// comments into engine suppressions (the orchestrator passes them in
// rules.Options.Suppressions).
func Suppressions(f *config.Facts) []rules.Suppression {
	if f == nil {
		return nil
	}
	var out []rules.Suppression
	for _, s := range f.Suppressions {
		out = append(out, rules.Suppression{Rules: s.Rules, File: s.File, Line: s.Line, Reason: s.Reason,
			Origin: fmt.Sprintf("%s:%d", baseName(s.File), s.At)})
	}
	return out
}
