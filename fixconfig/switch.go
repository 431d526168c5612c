package fixconfig

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

// slots are the pluggable kinds of class a *_class option selects, by the
// base class every member derives from.
var slots = []struct{ base, group, option string }{
	{"Authenticator", "jupyterhub.authenticators", "JupyterHub.authenticator_class"},
	{"Spawner", "jupyterhub.spawners", "JupyterHub.spawner_class"},
	{"Proxy", "jupyterhub.proxies", "JupyterHub.proxy_class"},
}

// Switch is a replacement that lives on another pluggable class than the
// deprecated option: DummyAuthenticator.password's successor is
// SharedPasswordAuthenticator.user_password, which only takes effect once
// the config selects that authenticator. Renaming the option alone would
// leave the old class running without it.
type Switch struct {
	// From is the class the config uses, Trait its deprecated option.
	From, Trait string
	// To and NewTrait are the replacement.
	To, NewTrait string
	// Option is the *_class option that selects the class
	// ("JupyterHub.authenticator_class"); EntryPoint is the name it takes.
	Option     string
	EntryPoint kbdata.EntryPoint
	// Available says whether the target release has the class.
	Available bool
}

// ClassSwitch reports whether replacing class.name with replacement
// ("Class.trait") means selecting another class: the replacement's class
// is another member of the same slot (an authenticator for an
// authenticator), has an entry point, and is not a base of class (whose
// options class would inherit). selected are the classes the config
// selects; when one already is the replacement's class, no switch is
// needed.
func ClassSwitch(k *kb.KB, at kb.Versions, class, name, replacement string, selected ...string) (Switch, bool) {
	to, newTrait, ok := strings.Cut(strings.TrimPrefix(replacement, "c."), ".")
	if !ok || to == class || strings.ContainsAny(newTrait, " ()") {
		return Switch{}, false
	}
	for _, s := range selected {
		if s == to {
			return Switch{}, false
		}
	}
	for _, s := range slots {
		ep, ok := kb.EntryPointOf(s.group, to)
		if !ok || !k.IsA(class, s.base, at) || k.IsA(class, to, at) {
			continue
		}
		sw := Switch{From: class, Trait: name, To: to, NewTrait: newTrait, Option: s.option, EntryPoint: ep, Available: true}
		if ep.Package == "jupyterhub" && ep.FirstRelease != "" && !at.JupyterHub.IsZero() {
			if first, err := pep440.Parse(ep.FirstRelease); err == nil && at.JupyterHub.Less(first) {
				sw.Available = false
			}
		}
		return sw, true
	}
	return Switch{}, false
}

// AdviceOptions is what the config around a switch already says.
type AdviceOptions struct {
	// Target is the release the advice is for.
	Target pep440.Version
	// Admins are the config's admin_users.
	Admins []string
	// HasAllowConfig: the config sets allow_all or allowed_users.
	HasAllowConfig bool
}

// Selected are the authenticator and spawner classes config f selects (nil
// f: none).
func Selected(f *config.Facts) []string {
	if f == nil {
		return nil
	}
	var out []string
	for _, c := range []*config.ClassChoice{f.AuthenticatorClass, f.SpawnerClass} {
		if c != nil && c.Class != "" {
			out = append(out, c.Class)
		}
	}
	return out
}

// OptionsFor is the AdviceOptions of config f (nil f: nothing known) for
// the target release.
func OptionsFor(f *config.Facts, target pep440.Version) AdviceOptions {
	o := AdviceOptions{Target: target}
	if f == nil {
		return o
	}
	o.Admins = f.AdminUsers
	for _, a := range f.Assignments {
		if a.Class() != "JupyterHub" && (a.Name() == "allow_all" || a.Name() == "allowed_users") {
			o.HasAllowConfig = true
		}
	}
	return o
}

// Advice is the whole change a switch takes, in words an admin can follow
// literally: select the class, move the value (with the validator's
// constraints, from the knowledge base), set the new class's other
// constrained options (SharedPasswordAuthenticator.admin_password, without
// which the admin users cannot log in), and keep an allow config when the
// old class admitted everyone by its own default and the new one does not.
// When the target lacks the class it says so and what to keep.
func (sw Switch) Advice(k *kb.KB, o AdviceOptions) string {
	pkg := sw.EntryPoint.Package
	since := ""
	if sw.EntryPoint.FirstRelease != "" {
		since = fmt.Sprintf(", %s %s and later", pkg, sw.EntryPoint.FirstRelease)
	}
	if !sw.Available {
		return fmt.Sprintf("%s first appears in %s %s; %s %s has none: keep c.%s.%s until the upgrade to %s or later, then select %s with c.%s = %q",
			sw.To, pkg, sw.EntryPoint.FirstRelease, pkg, o.Target, sw.From, sw.Trait, sw.EntryPoint.FirstRelease, sw.To, sw.Option, sw.EntryPoint.Name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "select the new class: c.%s = %q (%s%s), and move the value of c.%s.%s to c.%s.%s%s",
		sw.Option, sw.EntryPoint.Name, sw.To, since, sw.From, sw.Trait, sw.To, sw.NewTrait, constraintText(k, pkg, sw.To, sw.NewTrait, o.Target))
	others := map[string]bool{}
	for _, c := range k.TraitConstraintsOf(pkg, sw.To, o.Target) {
		if c != sw.NewTrait {
			others[c] = true
		}
	}
	for _, t := range sortedKeys(others) {
		who := "the admin users"
		if len(o.Admins) > 0 {
			who += " (" + strings.Join(o.Admins, ", ") + ")"
		}
		if strings.HasPrefix(t, "admin_") {
			fmt.Fprintf(&b, "; set c.%s.%s%s for %s, who log in only with it: without it they are locked out", sw.To, t, constraintText(k, pkg, sw.To, t, o.Target), who)
		} else {
			fmt.Fprintf(&b, "; c.%s.%s, if set, must be%s", sw.To, t, constraintText(k, pkg, sw.To, t, o.Target))
		}
	}
	if _, old := k.SubclassDefault(pkg, sw.From, "allow_all", o.Target); old && !o.HasAllowConfig {
		if _, same := k.SubclassDefault(pkg, sw.To, "allow_all", o.Target); !same {
			fmt.Fprintf(&b, "; and say who may log in: unlike %s, %s has no allow_all default, so add c.Authenticator.allowed_users = {...}, or c.Authenticator.allow_all = True, which admits anyone who knows %s under any user name",
				sw.From, sw.To, sw.NewTrait)
		}
	}
	return b.String()
}

// constraintText renders the validator constraints of class.trait as
// " (at least 32 characters, not the same as user_password)".
func constraintText(k *kb.KB, pkg, class, trait string, v pep440.Version) string {
	var parts []string
	for _, c := range k.TraitConstraints(pkg, class, trait, v) {
		switch c.Kind {
		case "min_length":
			parts = append(parts, "at least "+c.Value+" characters")
		case "differs_from":
			parts = append(parts, "not the same as "+c.Value)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
