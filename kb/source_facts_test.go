package kb

import (
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/pep440"
)

// sourceFact is one fact of issue 12 that was corrected after reading the
// named source (repository, tag, file) with git show.
type sourceFact struct {
	name, source string
	check        func(t *testing.T, k *KB)
}

var sourceFacts = []sourceFact{
	{"group_whitelist is ignored from 1.2.0",
		"jupyterhub/jupyterhub 1.2.0 jupyterhub/auth.py: group_whitelist is declared, check_allowed reads allowed_groups, _deprecated_aliases holds only whitelist and blacklist",
		func(t *testing.T, k *KB) {
			at := Versions{JupyterHub: pep440.MustParse("1.1.0")}
			if l, _ := k.LookupTrait("LocalAuthenticator", "group_whitelist", at); !l.Accepted() {
				t.Errorf("1.1.0: group_whitelist should still be read: %+v", l)
			}
			for _, v := range []string{"1.2.2", "5.5.1", "6.0.0b2"} {
				l, _ := k.LookupTrait("PAMAuthenticator", "group_whitelist", Versions{JupyterHub: pep440.MustParse(v)})
				if !l.Found || l.Accepted() || l.Trait.DeprecatedSince != "1.2" {
					t.Errorf("%s: group_whitelist: found %v accepted %v since %q", v, l.Found, l.Accepted(), l.Trait.DeprecatedSince)
				}
			}
			d, ok, _ := k.Deprecation("LocalAuthenticator", "group_whitelist", pep440.MustParse("5.5.1"))
			if !ok || !d.Ignored || d.Since != "1.2" || d.Replacement != "LocalAuthenticator.allowed_groups" {
				t.Errorf("deprecation: %+v %v", d, ok)
			}
		}},
	{"6.0 keeps invalid named servers by default",
		"jupyterhub/jupyterhub 6.0.0b2 jupyterhub/app.py: allow_existing_invalid_named_servers = Enum(..., \"allow-start\"); check_invalid_named_servers renames only under \"autorename\"",
		func(t *testing.T, k *KB) {
			l, _ := k.LookupTrait("JupyterHub", "allow_existing_invalid_named_servers", Versions{JupyterHub: pep440.MustParse("6.0.0b2")})
			if !l.Found || l.Trait.Default != "'allow-start'" {
				t.Errorf("default: %+v", l.Trait)
			}
			if m, ok := k.Message("v6.rename_server"); !ok || !strings.Contains(m.Notes, "= autorename") {
				t.Errorf("rename message: %+v", m)
			}
		}},
	{"no release has downgrade-db",
		"jupyterhub/jupyterhub every tag 0.9.0..6.0.0b2: jupyterhub/app.py JupyterHub.subcommands holds token and upgrade-db; jupyterhub/dbutil.py main offers shell and alembic",
		func(t *testing.T, k *KB) {
			for _, r := range k.Releases() {
				if _, ok := k.Command("subcommand.downgrade-db", r.Version); ok {
					t.Errorf("%s: downgrade-db", r.Version)
				}
				for _, id := range []string{"subcommand.token", "subcommand.upgrade-db", "dbutil.alembic"} {
					if _, ok := k.Command(id, r.Version); !ok {
						t.Errorf("%s: no %s", r.Version, id)
					}
				}
			}
			if c, _ := k.Command("dbutil.alembic", pep440.MustParse("5.5.1")); c.Command != "python3 -m jupyterhub.dbutil alembic" {
				t.Errorf("dbutil.alembic: %+v", c)
			}
		}},
	{"heads of 0.7.x and 0.8.x",
		"jupyterhub/jupyterhub tags 0.7.0-0.7.2 and 0.8.0-0.8.1, jupyterhub/alembic/versions/: af4cbdb2d13c and 3ec6993fe20c are the heads",
		func(t *testing.T, k *KB) {
			for rev, want := range map[string]string{"af4cbdb2d13c": "0.7.0,0.7.1,0.7.2", "3ec6993fe20c": "0.8.0,0.8.1"} {
				m, ok := k.Migration(rev)
				if !ok || strings.Join(m.HeadOfOlder, ",") != want {
					t.Errorf("%s: head of %v, want %s", rev, m.HeadOfOlder, want)
				}
			}
		}},
	{"companions are known release by release",
		"jupyterhub/kubespawner 6.0.0 pyproject.toml: jupyterhub>=4.0.0; jupyterhub/ldapauthenticator 2.0.0 setup.py: jupyterhub>=4.1.6, python_requires >=3.9; jupyterhub/batchspawner v1.3.0 setup.py: install_require (misspelt), so no requirement",
		func(t *testing.T, k *KB) {
			for _, c := range []struct{ pkg, v, hub, py string }{
				{"kubespawner", "6.0.0", "jupyterhub>=4.0.0", ">=3.7"},
				{"jupyterhub-kubespawner", "5.0.0", "jupyterhub>=1.3.0", ">=3.7"},
				{"jupyterhub-ldapauthenticator", "2.0.0", "jupyterhub>=4.1.6", ">=3.9"},
				{"batchspawner", "1.3.0", "", ">=3.6"},
				{"jupyterhub-systemdspawner", "0.14", "jupyterhub>=0.9", ""},
				{"jupyterhub-idle-culler", "1.4.0", "", ">=3.7"},
			} {
				r, ok := k.CompanionRelease(c.pkg, pep440.MustParse(c.v))
				if !ok || r.RequiresJupyterHub != c.hub || r.RequiresPython != c.py {
					t.Errorf("%s %s: %+v %v, want %q, Python %q", c.pkg, c.v, r, ok, c.hub, c.py)
				}
			}
			if r, ok := k.CompanionRelease("dockerspawner", pep440.MustParse("13.0.1")); ok {
				t.Errorf("dockerspawner 13.0.1 has no tag, got %+v", r)
			}
			for _, pkg := range []string{"oauthenticator", "kubespawner", "dockerspawner", "ldapauthenticator", "nativeauthenticator", "batchspawner", "systemdspawner", "jupyterhub-traefik-proxy", "jupyterhub-idle-culler"} {
				if len(k.CompanionReleases(pkg)) < 8 {
					t.Errorf("%s: only %d releases", pkg, len(k.CompanionReleases(pkg)))
				}
			}
		}},
}

// TestFactsFromSource pins the facts that were corrected against
// JupyterHub's and its companions' source; each case names its source.
func TestFactsFromSource(t *testing.T) {
	k := MustLoad()
	for _, f := range sourceFacts {
		t.Run(f.name, func(t *testing.T) {
			t.Logf("source: %s", f.source)
			f.check(t, k)
		})
	}
}
