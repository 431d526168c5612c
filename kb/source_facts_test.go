package kb

import (
	"regexp"
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
	{"traitlets' error for a class that does not import",
		"ipython/traitlets 4.3.3, 5.0.5 and v5.16.1 traitlets/traitlets.py, Type.validate: \"The '%s' trait of %s instance must be a type, but %r could not be imported\"",
		func(t *testing.T, k *KB) {
			var m *Message
			for _, l := range k.LogMessages() {
				if l.ID == "traitlets.type_not_importable" {
					m = l
				}
			}
			line := "The 'authenticator_class' trait of <jupyterhub.app.JupyterHub object at 0x7f2c> instance must be a type, but 'github' could not be imported"
			if m == nil || !regexp.MustCompile(m.Pattern).MatchString(line) || regexp.MustCompile(m.Pattern).MatchString(strings.Replace(line, "imported", "loaded", 1)) {
				t.Errorf("traitlets.type_not_importable: %+v", m)
			}
		}},
	{"LDAPAuthenticator.use_ssl is deprecated from 2.0.0",
		"jupyterhub/ldapauthenticator 1.3.2 and 2.0.0 ldapauthenticator/ldapauthenticator.py: the 1.x help only says LDAP v3 deprecated SSL on connect; 2.0.0 adds _observe_use_ssl (\"deprecated in 2.0 in favor of LDAPAuthenticator.tls_strategy\")",
		func(t *testing.T, k *KB) {
			h, err := k.TraitHistory("ldapauthenticator", "LDAPAuthenticator", "use_ssl")
			if err != nil || h == nil || h.DeprecatedIn != "2.0" || h.DeprecationExact != "2.0.0" || h.Replacement != "LDAPAuthenticator.tls_strategy" {
				t.Errorf("use_ssl history: %+v %v", h, err)
			}
		}},
	{"systemdspawner and traefik-proxy entry points",
		"jupyterhub/systemdspawner setup.py at v0.13 (none), 0.14.0 (systemdspawner), v0.16 (systemd); jupyterhub/traefik-proxy setup.py at 0.1.0 (traefik_etcd, traefik_toml), 0.1.3/0.1.4 (traefik_consul), 1.0.0 (traefik_file), 2.0.0 (traefik_redis)",
		func(t *testing.T, k *KB) {
			for _, c := range []struct{ group, name, first string }{
				{"jupyterhub.spawners", "systemdspawner", "0.14.0"}, {"jupyterhub.spawners", "systemd", "0.16"},
				{"jupyterhub.proxies", "traefik_etcd", "0.1.0"}, {"jupyterhub.proxies", "traefik_toml", "0.1.0"},
				{"jupyterhub.proxies", "traefik_consul", "0.1.4"}, {"jupyterhub.proxies", "traefik_file", "1.0.0"},
				{"jupyterhub.proxies", "traefik_redis", "2.0.0"},
			} {
				if e, ok := EntryPoint(c.group, c.name); !ok || e.FirstRelease != c.first {
					t.Errorf("%s: %+v %v, want first release %s", c.name, e, ok, c.first)
				}
			}
		}},
	{"the single-user version check and package",
		"jupyterhub/jupyterhub jupyterhub/_version.py _check_version: distutils LooseVersion at 0.9.0-1.5.1, packaging.version.parse from 2.0.0; git ls-tree: jupyterhub/singleuser.py at 1.1.0, the jupyterhub/singleuser/ package from 1.2.0",
		func(t *testing.T, k *KB) {
			for v, want := range map[string]string{"0.9.0": "LooseVersion", "1.5.1": "LooseVersion", "2.0.0": "packaging", "4.1.6": "packaging"} {
				f, ok := k.singleuserFact("version_mismatch.compare", pep440.MustParse(v))
				if !ok || f.Value != "major.minor" || !strings.Contains(f.Notes, want) {
					t.Errorf("%s: %+v, want %s", v, f, want)
				}
			}
			if _, src, ok := k.SingleuserServer(pep440.MustParse("1.2.0")); !ok || !strings.Contains(src, "jupyterhub/singleuser package (app.py, mixins.py) from 1.2.0") || !strings.Contains(src, "singleuser.py (0.9.0-1.1.0)") {
				t.Errorf("1.2.0 server source: %q", src)
			}
		}},
	{"DockerSpawner's default image follows the hub's x.y",
		"jupyterhub/dockerspawner dockerspawner/dockerspawner.py at every tag: container_image untagged up to 0.8.0, image = \"jupyterhub/singleuser:%s\" % _jupyterhub_xy from 0.9.0, quay.io/ from 13.0.0",
		func(t *testing.T, k *KB) {
			for v, want := range map[string]string{"0.9.0": "'jupyterhub/singleuser:X.Y'", "12.1.0": "'jupyterhub/singleuser:X.Y'", "13.0.0": "'quay.io/jupyterhub/singleuser:X.Y'"} {
				d, ok := k.SubclassDefault("dockerspawner", "DockerSpawner", "image", pep440.MustParse(v))
				if !ok || !strings.HasPrefix(d, want) || strings.Contains(d, "latest") {
					t.Errorf("%s: %q %v, want %s", v, d, ok, want)
				}
			}
			if d, ok := k.SubclassDefault("dockerspawner", "DockerSpawner", "container_image", pep440.MustParse("0.8.0")); !ok || !strings.Contains(d, "latest") {
				t.Errorf("0.8.0 container_image: %q %v", d, ok)
			}
		}},
	{"JupyterHub.api_tokens is pending deprecation since 0.8",
		"jupyterhub/jupyterhub 0.8.0 to 6.0.0b2 jupyterhub/app.py _deprecate_api_tokens: \"pending deprecation since JupyterHub version 0.8.  Consider using JupyterHub.service_tokens\"",
		func(t *testing.T, k *KB) {
			for _, v := range []string{"0.9.6", "5.5.1"} {
				d, ok, err := k.Deprecation("JupyterHub", "api_tokens", pep440.MustParse(v))
				if err != nil || !ok || d.Since != "0.8" || d.Replacement != "JupyterHub.service_tokens" || d.Ignored {
					t.Errorf("%s: %+v %v %v", v, d, ok, err)
				}
			}
		}},
	{"proxy_check_interval and forwarded_host_header are read by nothing in some releases",
		"jupyterhub/jupyterhub git grep: proxy_check_interval only declared in jupyterhub/app.py at 0.9.0-1.3.0, copied by _proxy_config_map from 1.4.0; forwarded_host_header read by apihandlers/base.py at 2.0.1-3.1.1, only declared from 4.0.0 (commit abe1136c, XSRF tokens)",
		func(t *testing.T, k *KB) {
			for _, c := range []struct {
				name, v  string
				accepted bool
			}{
				{"proxy_check_interval", "0.9.6", false}, {"proxy_check_interval", "1.3.0", false}, {"proxy_check_interval", "1.4.2", true}, {"proxy_check_interval", "5.5.1", true},
				{"forwarded_host_header", "2.0.2", true}, {"forwarded_host_header", "3.1.1", true}, {"forwarded_host_header", "4.0.2", false}, {"forwarded_host_header", "6.0.0b2", false},
			} {
				l, _ := k.LookupTrait("JupyterHub", c.name, Versions{JupyterHub: pep440.MustParse(c.v)})
				if !l.Found || l.Accepted() != c.accepted {
					t.Errorf("%s at %s: found %v accepted %v, want accepted %v", c.name, c.v, l.Found, l.Accepted(), c.accepted)
				}
			}
			if d, ok, _ := k.Deprecation("JupyterHub", "forwarded_host_header", pep440.MustParse("5.5.1")); !ok || !d.Ignored || d.Since != "4.0" {
				t.Errorf("forwarded_host_header at 5.5.1: %+v %v", d, ok)
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
