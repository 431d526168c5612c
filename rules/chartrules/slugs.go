package chartrules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/slug"
)

// SlugSchemeChange finds the templated KubeSpawner fields whose
// expansion changes when an upgrade crosses KubeSpawner 7.
var SlugSchemeChange = &rules.Rule{
	ID: "HUB520", Name: "slug-scheme-change", Severity: rules.Warning, Source: rules.SourceUpgrade, Needs: cfg, NeedsTarget: true, Phase: rules.PhasePre,
	Title: "KubeSpawner 7's safe slug scheme changes what {username}, {servername} and {user_server} expand to",
	Doc: "KubeSpawner 7 (Zero to JupyterHub chart 4.0) changed the default `slug_scheme` from the escape " +
		"scheme of every earlier release to \"safe\": `{username}`, `{servername}` and `{user_server}` in " +
		"templated fields expand differently for every name that is not already a valid Kubernetes name " +
		"(capitals, `@`, `.`, more than 48 characters, non-ASCII letters). A home folder mounted with " +
		"`subPath: \"{username}\"` (the chart's default for `singleuser.storage.type: static`) silently " +
		"becomes a new, empty folder for those users; their files stay in the old one. Only `pvc_name` is " +
		"handled by KubeSpawner itself (it remembers a started server's PVC name, and on the first start " +
		"after the upgrade looks for the PVC that the escape scheme names, which misses when the template " +
		"changed too, as the chart's default did from `claim-{username}{servername}` to `claim-{user_server}`).\n\n" +
		"For an upgrade to a chart whose hub image pins KubeSpawner 7 or later from one before it, with " +
		"`slug_scheme` unset, hubaudit finds every templated field in the config and the values (volumes, " +
		"volume_mounts and their subPath, working_dir, environment, storage_selector, pvc_name_template, " +
		"the chart's `singleuser.storage` settings, profile_list overrides) that uses those fields, computes " +
		"both expansions for every user and server in the database exactly as KubeSpawner does (package " +
		"slug), and names the users whose value changes, with their count. A field that changes which files " +
		"users see is an error; without the database hubaudit cannot tell who is affected (a warning).\n\n" +
		"Fix: keep the old names for the whole deployment with `hub.config.KubeSpawner.slug_scheme: escape` " +
		"(values) or `c.KubeSpawner.slug_scheme = \"escape\"`, or keep them per field by writing " +
		"`{escaped_username}` (`{escaped_servername}`, `{escaped_user_server}`) in it; or move the affected " +
		"users' files once after the upgrade.",
	Run: runSlugs,
}

// tmplField is one templated string of the config or the values.
type tmplField struct {
	label     string // "singleuser.storage.static.subPath", "c.KubeSpawner.volume_mounts[0].subPath"
	file      string
	line, col int
	before    string // the template before the upgrade
	after     string // and after it (they differ for chart defaults)
	effect    string // kb.KubeSpawnerTemplated
	values    bool   // set in a values file
	def       bool   // a chart default, not written in the file
}

func runSlugs(p *rules.Pass) error {
	ch := p.Charts()
	if ch == nil || ch.Target == nil {
		return nil
	}
	since := kb.SafeSlugSince()
	if ch.Target.KubeSpawner.Less(since) {
		return nil
	}
	if ch.Current != nil && !ch.Current.KubeSpawner.Less(since) {
		return nil
	}
	for _, a := range p.Config.Assignments {
		if a.Trait == "KubeSpawner.slug_scheme" {
			return nil
		}
	}
	var servers []db.ServerName
	if p.DB != nil {
		servers = p.DB.ServerNames
	}
	for _, f := range templatedFields(p, ch) {
		judgeField(p, f, servers, ch)
	}
	return nil
}

// nameFields are the template fields whose value depends on the slug
// scheme.
var nameFields = map[string]bool{"username": true, "servername": true, "user_server": true}

func usesNames(t string) (names, server bool) {
	used, err := slug.UsedFields(t)
	if err != nil {
		return false, false
	}
	for _, u := range used {
		if nameFields[u] {
			names = true
			server = server || u != "username"
		}
	}
	return names, server
}

func judgeField(p *rules.Pass, f tmplField, servers []db.ServerName, ch *rules.Charts) {
	names, perServer := usesNames(f.after)
	if !names {
		return
	}
	_, beforeServer := usesNames(f.before)
	perServer = perServer || beforeServer
	where := f.label
	if f.def {
		where += " (the chart's default)"
	}
	crossing := fmt.Sprintf("chart %s pins KubeSpawner %s, whose default slug_scheme is \"safe\"", ch.Target.Version, ch.Target.KubeSpawner)
	if ch.Current != nil {
		crossing = fmt.Sprintf("chart %s -> %s moves KubeSpawner %s -> %s, whose default slug_scheme is \"safe\"", ch.Current.Version, ch.Target.Version, ch.Current.KubeSpawner, ch.Target.KubeSpawner)
	}
	loc := rules.Location{File: f.file, Line: f.line, Column: f.col, Subject: "slug:" + f.label}
	fix := &rules.Fix{Description: slugFix(f)}
	if servers == nil {
		p.Report(rules.Finding{Location: loc, Fix: fix, Message: fmt.Sprintf("%s = %q uses {username}/{servername}/{user_server}, and %s: its value changes for every user or server whose name is not already a valid Kubernetes name (capitals, @, ., more than 48 characters); give --db to list them",
			where, f.after, crossing)})
		return
	}
	type change struct{ who, from, to string }
	var changed []change
	total := 0
	seen := map[int64]bool{}
	for _, s := range servers {
		if !perServer {
			if seen[s.UserID] {
				continue
			}
			seen[s.UserID] = true
			s.Server = ""
		}
		total++
		sv := slug.Server{User: s.User, UserID: s.UserID, Name: s.Server}
		old, err1 := slug.Expand(f.before, sv, slug.SchemeLegacy)
		nw, err2 := slug.Expand(f.after, sv, slug.SchemeSafe)
		if err1 != nil || err2 != nil || old == nw {
			continue
		}
		if f.effect == "remembered" {
			// KubeSpawner looks for the PVC the escape scheme names.
			if probe, err := slug.Expand(f.after, sv, slug.SchemeEscape); err == nil && probe == old {
				continue
			}
		}
		who := s.User
		if perServer && s.Server != "" {
			who += "/" + s.Server
		}
		changed = append(changed, change{who, old, nw})
	}
	if len(changed) == 0 {
		return
	}
	sort.SliceStable(changed, func(i, j int) bool { return changed[i].who < changed[j].who })
	var ex []string
	for i, c := range changed {
		if i == 3 {
			break
		}
		ex = append(ex, fmt.Sprintf("%s: %q -> %q", c.who, c.from, c.to))
	}
	unit := "users"
	if perServer {
		unit = "servers"
	}
	var effect string
	sev := rules.Warning
	switch f.effect {
	case "data":
		effect = "they see another, empty folder or volume after the upgrade (their files stay where they were)"
		sev = rules.Error
	case "remembered":
		effect = "servers that never started under KubeSpawner 7 get a new, empty PVC: KubeSpawner's look-up of the old name misses because the template changed too"
		sev = rules.Error
	case "value":
		effect = "the value their servers get changes"
	default:
		effect = "the names of their objects change"
	}
	p.Report(rules.Finding{Location: loc, Fix: fix, Severity: sev, Message: fmt.Sprintf("%s = %q expands differently for %d of %d %s, because %s: %s; %s",
		where, f.after, len(changed), total, unit, crossing, strings.Join(ex, "; "), effect)})
}

func slugFix(f tmplField) string {
	esc := strings.NewReplacer("{username}", "{escaped_username}", "{servername}", "{escaped_servername}", "{user_server}", "{escaped_user_server}").Replace(f.before)
	if f.values {
		return fmt.Sprintf("set hub.config.KubeSpawner.slug_scheme: escape (KubeSpawner 6's names everywhere), or write %q in %s", esc, f.label)
	}
	return fmt.Sprintf("set c.KubeSpawner.slug_scheme = \"escape\" (KubeSpawner 6's names everywhere), or write %q in %s", esc, f.label)
}

// templatedFields collects the templated strings of the KubeSpawner
// traits the config and the values set, and of the chart's storage
// settings.
func templatedFields(p *rules.Pass, ch *rules.Charts) []tmplField {
	var out []tmplField
	add := func(a config.Assignment, trait, path string, v any) {
		effect, ok := kb.KubeSpawnerTemplated(trait)
		if !ok || effect == "name" {
			return
		}
		label := "c.KubeSpawner." + a.Name()
		if a.Via != "" {
			label = a.Via
		}
		label += path
		if trait != a.Name() {
			label += "." + trait // a profile_list override
		}
		walkStrings(v, label, func(l, s string) {
			out = append(out, tmplField{label: l, file: a.File, line: a.Line, col: a.Column, before: s, after: s, effect: effect, values: a.Via != ""})
		})
	}
	for _, a := range p.Config.Assignments {
		if a.Class() != "KubeSpawner" || a.ValueKind != "literal" || a.Redacted {
			continue
		}
		if a.Name() == "profile_list" {
			walkOverrides(a.Value, "", func(path, trait string, v any) { add(a, trait, path, v) })
			continue
		}
		add(a, a.Name(), "", a.Value)
	}
	for _, cv := range p.Config.Charts {
		out = append(out, storageFields(p, cv, ch)...)
	}
	return out
}

// walkStrings calls f for each string in v with a path label.
func walkStrings(v any, label string, f func(string, string)) {
	switch x := v.(type) {
	case string:
		if strings.Contains(x, "{") {
			f(label, x)
		}
	case []any:
		for i, e := range x {
			walkStrings(e, label+"["+strconv.Itoa(i)+"]", f)
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			walkStrings(x[k], label+"."+k, f)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// walkOverrides finds the kubespawner_override mappings of a
// profile_list (profiles, and their options' choices).
func walkOverrides(v any, path string, f func(path, trait string, v any)) {
	switch x := v.(type) {
	case []any:
		for i, e := range x {
			walkOverrides(e, path+"["+strconv.Itoa(i)+"]", f)
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if o, ok := x[k].(map[string]any); ok && k == "kubespawner_override" {
				for _, t := range sortedKeys(o) {
					f(path+".kubespawner_override", t, o[t])
				}
				continue
			}
			walkOverrides(x[k], path+"."+k, f)
		}
	}
}

// storageFields are the templates the chart's jupyterhub_config.py
// builds from singleuser.storage: the static subPath, the dynamic
// subPath and pvcNameTemplate, and the extra volumes and mounts.
func storageFields(p *rules.Pass, cv config.ChartValues, ch *rules.Charts) []tmplField {
	before := ch.Current
	if before == nil {
		before = lastBefore(kb.SafeSlugSince())
	}
	user := func(key string) (any, bool) { return lookup(cv.Values, key) }
	pos := func(key string) (int, int) {
		for _, k := range cv.Keys {
			if k.Key == key {
				return k.Line, k.Column
			}
		}
		return cv.Line, 1
	}
	str := func(c *kb.Chart, key string) (string, bool, bool) {
		if v, ok := user(key); ok {
			s, _ := v.(string)
			return s, true, false
		}
		if c == nil {
			return "", false, false
		}
		return c.DefaultString(key), false, true
	}
	field := func(key, effect string, b, a string, def bool) tmplField {
		l, c := pos(key)
		return tmplField{label: fullKey(cv, key), file: cv.File, line: l, col: c, before: b, after: a, effect: effect, values: true, def: def}
	}
	var out []tmplField
	stype, _, _ := str(ch.Target, "singleuser.storage.type")
	switch stype {
	case "static":
		b, _, _ := str(before, "singleuser.storage.static.subPath")
		a, set, def := str(ch.Target, "singleuser.storage.static.subPath")
		if !set && b == "" {
			b = a
		}
		out = append(out, field("singleuser.storage.static.subPath", "data", b, a, def))
	case "dynamic":
		if a, set, _ := str(ch.Target, "singleuser.storage.dynamic.subPath"); set && a != "" {
			out = append(out, field("singleuser.storage.dynamic.subPath", "data", a, a, false))
		}
		b, _, _ := str(before, "singleuser.storage.dynamic.pvcNameTemplate")
		a, _, def := str(ch.Target, "singleuser.storage.dynamic.pvcNameTemplate")
		if b == "" {
			b = traitDefault(p, "pvc_name_template", before)
		}
		if a == "" {
			a = traitDefault(p, "pvc_name_template", ch.Target)
		}
		if a != "" && b != "" {
			out = append(out, field("singleuser.storage.dynamic.pvcNameTemplate", "remembered", b, a, def))
		}
	}
	for _, k := range []struct{ key, trait string }{{"singleuser.storage.extraVolumeMounts", "volume_mounts"}, {"singleuser.storage.extraVolumes", "volumes"}} {
		v, ok := user(k.key)
		if !ok {
			continue
		}
		l, c := pos(k.key)
		walkStrings(v, fullKey(cv, k.key), func(label, s string) {
			out = append(out, tmplField{label: label, file: cv.File, line: l, col: c, before: s, after: s, effect: "data", values: true})
		})
	}
	return out
}

// traitDefault is KubeSpawner's default of trait in the release chart c
// pins, from the trait catalog ("" when unknown).
func traitDefault(p *rules.Pass, trait string, c *kb.Chart) string {
	if c == nil {
		return ""
	}
	l, err := p.KB.LookupTrait("KubeSpawner", trait, kb.Versions{JupyterHub: c.JupyterHub, Companions: map[string]pep440.Version{"kubespawner": c.KubeSpawner}})
	if err != nil || !l.Found {
		return ""
	}
	d := l.Trait.Default
	if len(d) >= 2 && (d[0] == '\'' || d[0] == '"') && d[len(d)-1] == d[0] {
		return d[1 : len(d)-1]
	}
	return ""
}

// lastBefore is the newest final chart release whose KubeSpawner is
// older than v: what an installed chart of unknown version most likely
// is when it predates the safe slugs.
func lastBefore(v pep440.Version) *kb.Chart {
	var out *kb.Chart
	for _, c := range kb.Charts() {
		if !c.Prerelease && c.KubeSpawner.Less(v) {
			out = c
		}
	}
	return out
}

// lookup finds a dotted key in decoded values.
func lookup(m map[string]any, key string) (any, bool) {
	var cur any = m
	for _, k := range strings.Split(key, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[k]; !ok {
			return nil, false
		}
	}
	return cur, cur != nil
}
