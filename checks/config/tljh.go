package config

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hubaudit/hubaudit/kb/kbdata"
)

// tljhKeys are the top-level keys of TLJH's config.yaml (the default
// dict of tljh/configurer.py, 1.0.0 and 2.0.0).
var tljhKeys = map[string]bool{
	"base_url": true, "auth": true, "users": true, "limits": true, "http": true, "https": true,
	"traefik_api": true, "user_environment": true, "services": true,
}

// TLJH's defaults (tljh/configurer.py, default): what its configurer
// sets when config.yaml says nothing.
const (
	tljhDefaultAuth = "firstuseauthenticator.FirstUseAuthenticator"
	tljhTraefikUser = "api_admin"
)

// isTLJHConfig reports whether a YAML file is TLJH's config.yaml: named
// config.yaml, or with only TLJH's top-level keys, and none of the Zero to
// JupyterHub chart's.
func isTLJHConfig(name string, src []byte) bool {
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil {
		return false
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return filepath.Base(name) == "config.yaml" && len(doc.Content) == 0
	}
	root := doc.Content[0]
	tljh, chart := 0, 0
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch k := root.Content[i].Value; {
		case tljhKeys[k]:
			tljh++
		case k == "hub" || k == "singleuser" || k == "proxy" || k == "jupyterhub":
			chart++
		}
	}
	return chart == 0 && (tljh > 0 || filepath.Base(name) == "config.yaml")
}

// analyzeTLJH reads TLJH's config.yaml the way tljh/configurer.py's
// apply_config turns it into JupyterHub config: auth.type and auth.<Class>
// options, users (allowed, banned, admin, extra_user_groups), limits,
// user_environment.default_app, base_url, https and traefik_api, and the
// idle culler service. Keys the file leaves out get TLJH's defaults,
// placed on line 1 with Via "tljh default".
//
// What the configurer does differs by TLJH release (kb/extra
// tljh_releases.tsv and tljh_config_keys.tsv, from tljh/configurer.py at
// each tag): rel is the release modeled.
func analyzeTLJH(name string, src []byte, rel kbdata.TLJHRelease) *fileResult {
	res := &fileResult{rewrites: map[string]int{}, tljhRelease: rel.Tag}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		res.errors = append(res.errors, yamlError(name, err))
		return res
	}
	var root *yaml.Node
	if len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode {
		root = doc.Content[0]
	}
	set := func(k *yaml.Node, trait string, v any, via string) {
		a := Assignment{File: name, Line: 1, Column: 1, Trait: trait, Op: "=", Value: v, ValueKind: "literal", Via: "tljh default"}
		if k != nil {
			a.Line, a.Column, a.Via = k.Line, k.Column, "config.yaml "+via
		}
		res.addAssignment(a)
	}
	str := func(keys string, def string) (*yaml.Node, string) {
		k, v := path(root, strings.Split(keys, "."))
		if v == nil || v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return nil, def
		}
		return k, v.Value
	}
	// update_base_url
	k, base := str("base_url", "/")
	set(k, "JupyterHub.base_url", base, "base_url")
	// update_auth
	defaults := map[string]any{}
	for _, ck := range rel.ConfigKeys {
		defaults[ck.Key] = ck.Default
	}
	defStr := func(key, fallback string) string {
		if v, ok := defaults[key].(string); ok {
			return v
		}
		return fallback
	}
	res.tljhKeys = tljhKeyPositions(name, root)
	k, authType := str("auth.type", defStr("auth.type", tljhDefaultAuth))
	set(k, "JupyterHub.authenticator_class", authType, "auth.type")
	authOpts := map[string]bool{}
	if _, auth := path(root, []string{"auth"}); auth != nil && auth.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(auth.Content); i += 2 {
			ck, cv := auth.Content[i], auth.Content[i+1]
			if ck.Value == "type" || cv.Kind != yaml.MappingNode || ck.Value == "" || strings.ToUpper(ck.Value[:1]) != ck.Value[:1] {
				continue // apply_config refuses these; the hub would not start
			}
			for j := 0; j+1 < len(cv.Content); j += 2 {
				ok, ov := cv.Content[j], cv.Content[j+1]
				if ov.Kind == yaml.ScalarNode && ov.Tag == "!!null" {
					continue // set_if_not_none
				}
				authOpts[ck.Value+"."+ok.Value] = true
				set(ok, ck.Value+"."+ok.Value, nodeValue(ov), "auth."+ck.Value+"."+ok.Value)
			}
		}
	}
	if !authOpts["FirstUseAuthenticator.create_users"] {
		set(nil, "FirstUseAuthenticator.create_users", false, "")
	}
	// update_userlists
	list := func(keys string) (*yaml.Node, []any) {
		k, v := path(root, strings.Split(keys, "."))
		out := []any{}
		if v != nil && v.Kind == yaml.SequenceNode {
			for _, e := range v.Content {
				out = append(out, nodeValue(e))
			}
		}
		return k, out
	}
	ka, allowed := list("users.allowed")
	if rel.FirstUseAllowAll && len(allowed) == 0 && authType == defStr("auth.type", tljhDefaultAuth) && !authOpts["FirstUseAuthenticator.allow_all"] {
		// The default authenticator with nobody listed: TLJH lets everyone
		// who signs up in.
		set(nil, "FirstUseAuthenticator.allow_all", true, "")
	}
	set(ka, "Authenticator.allowed_users", allowed, "users.allowed")
	kbn, banned := list("users.banned")
	set(kbn, "Authenticator.blocked_users", banned, "users.banned")
	kd, admins := list("users.admin")
	set(kd, "Authenticator.admin_users", admins, "users.admin")
	// update_usergroups
	kg, groups := path(root, []string{"users", "extra_user_groups"})
	if groups != nil && groups.Kind == yaml.MappingNode {
		set(kg, "UserCreatingSpawner.user_groups", nodeValue(groups), "users.extra_user_groups")
	} else {
		set(nil, "UserCreatingSpawner.user_groups", map[string]any{}, "")
	}
	// update_limits: None is set as None (no limit).
	for _, l := range []struct{ key, trait string }{{"memory", "Spawner.mem_limit"}, {"cpu", "Spawner.cpu_limit"}} {
		if k, v := path(root, []string{"limits", l.key}); v != nil && !(v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
			set(k, l.trait, nodeValue(v), "limits."+l.key)
		}
	}
	// update_user_environment
	k, app := str("user_environment.default_app", defStr("user_environment.default_app", "jupyterlab"))
	if url, ok := rel.DefaultApps[app]; ok {
		set(k, "Spawner.default_url", url, "user_environment.default_app")
	}
	// update_user_account_config
	set(nil, "SystemdSpawner.username_template", "jupyter-{USERNAME}", "")
	// update_traefik_api: the password comes from state/traefik-api.secret
	// unless config.yaml sets one.
	api := rel.TraefikAPIClass
	if api == "" {
		api = "TraefikProxy"
	}
	k, user := str("traefik_api.username", defStr("traefik_api.username", tljhTraefikUser))
	set(k, api+".traefik_api_username", user, "traefik_api.username")
	if k, pw := str("traefik_api.password", ""); k != nil && pw != "" {
		set(k, api+".traefik_api_password", pw, "traefik_api.password")
	}
	if rel.SetsEntrypoint {
		k, https := str("https.enabled", "false")
		entry := "http"
		if https == "true" {
			entry = "https"
		}
		set(k, "TraefikProxy.traefik_entrypoint", entry, "https.enabled")
	}
	// update_services: the idle culler, on by default.
	k, cull := str("services.cull.enabled", "true")
	services := []any{}
	if cull != "false" {
		services = append(services, map[string]any{"name": "cull-idle", "admin": true, "command": []any{"python3", "-m", "jupyterhub_idle_culler"}})
	}
	if _, known := defaults["services.configurator.enabled"]; known {
		// 0.2.0's JupyterHub Configurator service.
		if _, on := str("services.configurator.enabled", "false"); on == "true" {
			services = append(services, map[string]any{"name": "configurator", "url": "http://127.0.0.1:10101", "command": []any{"python3", "-m", "jupyterhub_configurator.app"}})
		}
	}
	set(k, "JupyterHub.services", services, "services.cull.enabled")
	res.suppressions = yamlSuppressions(name, src, nil)
	sort.SliceStable(res.assignments, func(i, j int) bool { return res.assignments[i].Line < res.assignments[j].Line })
	return res
}

// TLJHKey is a key path config.yaml sets, where it is written.
type TLJHKey struct {
	Key    string `json:"key"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Value is the key's value when it is a scalar (not for secrets:
	// only the keys the rules judge by value keep it).
	Value string `json:"-"`
}

// tljhKeyPositions lists the dotted key paths of a config.yaml's
// mappings, down to the values (a mapping's own key is listed too).
func tljhKeyPositions(name string, root *yaml.Node) []TLJHKey {
	var out []TLJHKey
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		if n == nil || n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := prefix + n.Content[i].Value
			tk := TLJHKey{Key: k, Line: n.Content[i].Line, Column: n.Content[i].Column}
			if v := n.Content[i+1]; v.Kind == yaml.ScalarNode && k == "user_environment.default_app" {
				tk.Value = v.Value
			}
			out = append(out, tk)
			walk(n.Content[i+1], k+".")
		}
	}
	walk(root, "")
	return out
}

// yamlError is a YAML parse error as a ParseError at its line.
func yamlError(name string, err error) ParseError {
	line := 0
	msg := err.Error()
	fmt.Sscanf(strings.TrimPrefix(msg, "yaml: line "), "%d", &line)
	return ParseError{File: name, Line: line, Reason: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}
