package configrules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/internal/textdist"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// TLJHKeyUnknown checks the keys of a TLJH config.yaml against the
// configurer of the TLJH release that reads it.
var TLJHKeyUnknown = &rules.Rule{
	ID: "HUB141", Name: "tljh-key-unknown", Severity: rules.Warning, Source: rules.SourceConfig, Needs: cfg,
	Title: "a TLJH config.yaml key that the TLJH release's configurer does not read",
	Doc: "The Littlest JupyterHub turns `/opt/tljh/config/config.yaml` into JupyterHub config with its " +
		"configurer (`tljh/configurer.py`), which reads the keys of its default settings and nothing else: " +
		"a misspelt key (`users.allow`) or one an older release read (`services.configurator` in 0.2.0) is " +
		"ignored without a word, and what it was meant to do does not happen (`tljh-config set` validates " +
		"keys only from 2.0.0, and only for the keys it sets). hubaudit checks each key against the keys of " +
		"the TLJH release that reads the file (kb/extra/tljh_config_keys.tsv, from `configurer.py` at each " +
		"tag): in pre the release the plan installs for the target, otherwise the installed one. Options " +
		"under `auth.<Authenticator>` are passed to that class and are not judged here. A " +
		"`user_environment.default_app` the release has no URL for (`nteract` after 0.2.0, `classic` in " +
		"1.0.0b1) sets nothing either, and is reported too.\n\n" +
		"Fix: correct the key (the nearest known one is suggested), or remove it.",
	Run: func(p *rules.Pass) error {
		c := p.Config
		if c.TLJHConfig == "" || len(c.TLJHKeys) == 0 {
			return nil
		}
		rel, ok := kb.TLJHReleaseByTag(c.TLJHRelease)
		if !ok {
			return nil
		}
		known := map[string]bool{}
		free := map[string]bool{} // keys whose value is free-form (a mapping of names)
		for _, k := range rel.ConfigKeys {
			known[k.Key] = true
			for i := strings.IndexByte(k.Key, '.'); i >= 0; i = nextDot(k.Key, i) {
				known[k.Key[:i]] = true
			}
			if m, ok := k.Default.(map[string]any); ok && len(m) == 0 {
				free[k.Key] = true
			}
		}
		// Where the other releases read a key, for the message.
		elsewhere := func(key string) []string {
			var tags []string
			for _, r := range kb.TLJHReleases() {
				if r.Tag == rel.Tag || r.Prerelease {
					continue
				}
				for _, k := range r.ConfigKeys {
					if k.Key == key || strings.HasPrefix(k.Key, key+".") {
						tags = append(tags, r.Tag)
						break
					}
				}
			}
			return tags
		}
		var siblings func(parent string) []string
		siblings = func(parent string) []string {
			seen := map[string]bool{}
			for k := range known {
				if rest, ok := strings.CutPrefix(k, parent); ok && rest != "" && !strings.Contains(rest, ".") {
					seen[rest] = true
				}
			}
			out := make([]string, 0, len(seen))
			for k := range seen {
				out = append(out, k)
			}
			sort.Strings(out)
			return out
		}
		reported := map[string]bool{}
	keys:
		for _, k := range c.TLJHKeys {
			if k.Key == "user_environment.default_app" && k.Value != "" {
				if _, ok := rel.DefaultApps[k.Value]; !ok {
					apps := make([]string, 0, len(rel.DefaultApps))
					for a := range rel.DefaultApps {
						apps = append(apps, a)
					}
					sort.Strings(apps)
					p.Report(rules.Finding{Location: rules.Location{File: c.TLJHConfig, Line: k.Line, Column: k.Column, Subject: "tljh-key:" + k.Key + "=" + k.Value},
						Message: fmt.Sprintf("user_environment.default_app %s is not an app TLJH %s's configurer knows (%s; %s): it sets no default URL, so users land on the single-user server's default",
							k.Value, rel.Tag, strings.Join(apps, ", "), c.TLJHReleaseFrom),
						Fix: &rules.Fix{Description: "set user_environment.default_app to one of " + strings.Join(apps, ", ") + ", or set c.Spawner.default_url in jupyterhub_config.d"}})
				}
			}
			if known[k.Key] || k.Key == "auth" || strings.HasPrefix(k.Key, "auth.") && k.Key != "auth.type" && strings.Count(k.Key, ".") >= 1 && isClassName(strings.Split(k.Key, ".")[1]) {
				continue
			}
			for r := range reported {
				if strings.HasPrefix(k.Key, r+".") {
					continue keys // under a key already reported
				}
			}
			for f := range free {
				if strings.HasPrefix(k.Key, f+".") {
					continue keys
				}
			}
			reported[k.Key] = true
			parent, name := "", k.Key
			if i := strings.LastIndexByte(k.Key, '.'); i >= 0 {
				parent, name = k.Key[:i+1], k.Key[i+1:]
			}
			msg := fmt.Sprintf("%s is not a key TLJH %s's configurer reads (%s): it has no effect", k.Key, rel.Tag, c.TLJHReleaseFrom)
			if tags := elsewhere(k.Key); len(tags) > 0 {
				msg += fmt.Sprintf("; TLJH %s read it", strings.Join(tags, ", "))
			}
			f := rules.Finding{Location: rules.Location{File: c.TLJHConfig, Line: k.Line, Column: k.Column, Subject: "tljh-key:" + k.Key}}
			if near := textdist.Closest(name, siblings(parent)); len(near) > 0 {
				msg += fmt.Sprintf("; did you mean %s%s?", parent, near[0])
				f.Fix = &rules.Fix{Description: fmt.Sprintf("rename %s to %s%s", k.Key, parent, near[0])}
			} else {
				f.Fix = &rules.Fix{Description: "remove " + k.Key + ", or set what it meant in jupyterhub_config.d"}
			}
			f.Message = msg
			p.Report(f)
		}
		return nil
	},
}

func nextDot(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '.')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// isClassName reports whether an auth.X key names an authenticator class
// (TLJH passes auth.<Class> options to that class; it skips others).
func isClassName(s string) bool { return s != "" && strings.ToUpper(s[:1]) == s[:1] && s[:1] != "_" }
