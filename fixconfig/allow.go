package fixconfig

import (
	"strings"

	"github.com/hubaudit/hubaudit/kb"
)

// AllowOptions lists the narrow allow options of authenticator cls at the
// versions at, from the trait catalog: allowed_users, then the class's own
// allowed_* (GitHubOAuthenticator.allowed_organizations,
// GitLabOAuthenticator.allowed_project_ids, ...), then those it inherits
// (OAuthenticator.allowed_groups).
func AllowOptions(k *kb.KB, cls string, at kb.Versions) []string {
	out := []string{"c.Authenticator.allowed_users = {...}"}
	names, err := k.ClassTraits(cls, at)
	if err != nil {
		return out
	}
	var own, inherited []string
	for _, n := range names {
		if !strings.HasPrefix(n, "allowed_") || n == "allowed_users" {
			continue
		}
		if l, err := k.LookupTrait(cls, n, at); err == nil && (strings.Contains(l.Trait.Type, "Set") || strings.Contains(l.Trait.Type, "List") || strings.Contains(l.Trait.Type, "Dict")) {
			if l.DefinedOn == cls {
				own = append(own, "c."+cls+"."+n+" = {...}")
			} else {
				inherited = append(inherited, "c."+cls+"."+n+" = {...}")
			}
		}
	}
	return append(append(out, own...), inherited...)
}

// Admits says whom allow_all = True lets in with authenticator cls (oauth:
// it derives from OAuthenticator).
func Admits(cls string, oauth bool) string {
	switch {
	case oauth && cls != "GenericOAuthenticator" && strings.HasSuffix(cls, "OAuthenticator") && cls != "OAuthenticator":
		return "every " + strings.TrimSuffix(cls, "OAuthenticator") + " account"
	case oauth:
		return "every account the identity provider authenticates"
	case strings.Contains(cls, ".") || strings.Contains(cls, "-") || strings.ToLower(cls) == cls:
		// An entry point or dotted path that did not resolve.
		return "everyone " + cls + " authenticates"
	case strings.Contains(cls, "PAM") || strings.Contains(cls, "Local") || cls == "Authenticator":
		return "every user with a login on the hub machine"
	}
	return "everyone " + cls + " authenticates"
}
