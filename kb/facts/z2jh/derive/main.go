// Command derive writes the Zero to JupyterHub fact tables of
// kb/facts/z2jh from a git checkout (or bare clone) of
// jupyterhub/zero-to-jupyterhub-k8s. It is a maintainer tool: run it when
// the chart has a new release, review the diff of the tables, then run
// `go generate ./kb`.
//
//	go run ./kb/facts/z2jh/derive -repo PATH/zero-to-jupyterhub-k8s -out kb/facts/z2jh
//
// It reads, at every release tag from 1.0.0 on, the hub image's pinned
// requirements (images/hub/requirements.txt), the single-user sample
// image's jupyterhub and server pins, the images and defaults of
// jupyterhub/values.yaml and the keys of jupyterhub/values.schema.yaml,
// and writes only facts (names, versions, key paths), range-compressed
// over the tags in chart version order. README.md next to the tables says
// what each column means.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"gopkg.in/yaml.v3"
)

// minChart is the oldest chart release read: the first whose hub image
// pins every requirement with ==.
var minChart = semver.MustParse("1.0.0")

// releaseTag matches the chart's release tags (4.0.0, 4.0.0-beta.1).
var releaseTag = regexp.MustCompile(`^\d+\.\d+\.\d+(-(alpha|beta)\.\d+)?$`)

// singleuserPackages are the single-user sample image's pins that are
// kept: the jupyterhub it runs and the server it starts.
var singleuserPackages = map[string]bool{"jupyterhub": true, "jupyter-server": true, "jupyterlab": true, "notebook": true}

func main() {
	repo := flag.String("repo", "", "a checkout or bare clone of jupyterhub/zero-to-jupyterhub-k8s")
	out := flag.String("out", "kb/facts/z2jh", "folder of the tables")
	flag.Parse()
	if *repo == "" {
		fmt.Fprintln(os.Stderr, "derive: -repo is required")
		os.Exit(2)
	}
	if err := run(*repo, *out); err != nil {
		fmt.Fprintln(os.Stderr, "derive:", err)
		os.Exit(1)
	}
}

// chart is what one release tag says.
type chart struct {
	tag        string
	v          *semver.Version
	date       string
	appVersion string
	hubPins    map[string]string
	userPins   map[string]string
	images     map[string]string // values key of the image -> name:tag
	defaults   map[string]string // values key -> JSON value
	schema     map[string]string // values key -> node kind
}

func run(repo, out string) error {
	tags, err := git(repo, "tag")
	if err != nil {
		return err
	}
	var charts []*chart
	for _, t := range strings.Fields(string(tags)) {
		if !releaseTag.MatchString(t) {
			continue
		}
		v := semver.MustParse(t)
		if v.LessThan(minChart) {
			continue
		}
		c, err := read(repo, t, v)
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		charts = append(charts, c)
	}
	sort.Slice(charts, func(i, j int) bool { return charts[i].v.LessThan(charts[j].v) })
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var rel [][]string
	for _, c := range charts {
		pre := "no"
		if c.v.Prerelease() != "" {
			pre = "yes"
		}
		rel = append(rel, []string{c.tag, pre, c.date, c.appVersion, c.hubPins["jupyterhub"], c.hubPins["jupyterhub-kubespawner"], c.userPins["jupyterhub"]})
	}
	if err := writeTSV(filepath.Join(out, "charts.tsv"), []string{"chart", "prerelease", "date", "app_version", "jupyterhub", "kubespawner", "singleuser_jupyterhub"}, rel); err != nil {
		return err
	}
	tables := []struct {
		file, key, value string
		get              func(*chart) map[string]string
	}{
		{"hub_pins.tsv", "package", "version", func(c *chart) map[string]string { return c.hubPins }},
		{"singleuser_pins.tsv", "package", "version", func(c *chart) map[string]string { return c.userPins }},
		{"images.tsv", "key", "image", func(c *chart) map[string]string { return c.images }},
		{"values_defaults.tsv", "key", "value", func(c *chart) map[string]string { return c.defaults }},
		{"schema_keys.tsv", "key", "node", func(c *chart) map[string]string { return c.schema }},
	}
	for _, t := range tables {
		rows := ranges(charts, t.get)
		if err := writeTSV(filepath.Join(out, t.file), []string{t.key, t.value, "first_chart", "last_chart"}, rows); err != nil {
			return err
		}
	}
	return nil
}

// ranges compresses per-chart key -> value maps into rows key, value,
// first, last: one row for each run of consecutive charts (in version
// order) with the same value.
func ranges(charts []*chart, get func(*chart) map[string]string) [][]string {
	keys := map[string]bool{}
	for _, c := range charts {
		for k := range get(c) {
			keys[k] = true
		}
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var rows [][]string
	for _, k := range sorted {
		start := -1
		val := ""
		flush := func(end int) {
			if start >= 0 {
				rows = append(rows, []string{k, val, charts[start].tag, charts[end].tag})
			}
			start = -1
		}
		for i, c := range charts {
			v, ok := get(c)[k]
			switch {
			case !ok:
				flush(i - 1)
			case start < 0:
				start, val = i, v
			case v != val:
				flush(i - 1)
				start, val = i, v
			}
		}
		flush(len(charts) - 1)
	}
	return rows
}

func read(repo, tag string, v *semver.Version) (*chart, error) {
	c := &chart{tag: tag, v: v, images: map[string]string{}, defaults: map[string]string{}, schema: map[string]string{}}
	d, err := git(repo, "log", "-1", "--format=%cs", tag)
	if err != nil {
		return nil, err
	}
	c.date = strings.TrimSpace(string(d))
	if b, err := show(repo, tag, "jupyterhub/Chart.yaml"); err == nil {
		var meta struct {
			AppVersion string `yaml:"appVersion"`
		}
		if err := yaml.Unmarshal(b, &meta); err != nil {
			return nil, fmt.Errorf("Chart.yaml: %w", err)
		}
		c.appVersion = meta.AppVersion
	}
	b, err := show(repo, tag, "images/hub/requirements.txt")
	if err != nil {
		return nil, err
	}
	c.hubPins = pins(b, nil)
	if c.hubPins["jupyterhub"] == "" {
		return nil, fmt.Errorf("images/hub/requirements.txt pins no jupyterhub")
	}
	c.userPins = map[string]string{}
	if b, err := show(repo, tag, "images/singleuser-sample/requirements.txt"); err == nil {
		c.userPins = pins(b, singleuserPackages)
	}
	b, err = show(repo, tag, "jupyterhub/values.yaml")
	if err != nil {
		return nil, err
	}
	var values map[string]any
	if err := yaml.Unmarshal(b, &values); err != nil {
		return nil, fmt.Errorf("values.yaml: %w", err)
	}
	leaves("", values, func(key string, v any) {
		j, _ := json.Marshal(v)
		c.defaults[key] = string(j)
	})
	// chartpress sets the tag of the chart's own images to the chart
	// version when it packages a release (chartpress.yaml).
	images(values, "", func(key, name, t string) {
		if t == "set-by-chartpress" {
			t = "{chart}"
		}
		c.images[key] = name + ":" + t
	})
	if b, err := show(repo, tag, "jupyterhub/values.schema.yaml"); err == nil {
		var schema map[string]any
		if err := yaml.Unmarshal(b, &schema); err != nil {
			return nil, fmt.Errorf("values.schema.yaml: %w", err)
		}
		if err := schemaKeys("", schema, c.schema); err != nil {
			return nil, fmt.Errorf("values.schema.yaml: %w", err)
		}
	}
	return c, nil
}

// pins reads name==version lines of a pip-compile output (names
// normalized), keeping only names in keep when keep is not nil.
func pins(b []byte, keep map[string]bool) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if i := strings.Index(line, ";"); i >= 0 {
			line = line[:i]
		}
		name, ver, ok := strings.Cut(strings.TrimSpace(line), "==")
		if !ok {
			continue
		}
		name = normalize(strings.TrimSpace(name))
		if i := strings.Index(name, "["); i >= 0 {
			name = name[:i]
		}
		if keep != nil && !keep[name] {
			continue
		}
		out[name] = strings.TrimSpace(ver)
	}
	return out
}

var nameSep = regexp.MustCompile(`[-_.]+`)

func normalize(n string) string { return nameSep.ReplaceAllString(strings.ToLower(n), "-") }

// leaves calls f for every value of the values tree that is not a
// non-empty mapping, with its dotted key.
func leaves(prefix string, v any, f func(string, any)) {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		if prefix != "" {
			f(prefix, v)
		}
		return
	}
	for k, e := range m {
		leaves(join(prefix, k), e, f)
	}
}

// images calls f for every mapping of the values tree with a string
// "name" and a "tag" (the chart's image settings).
func images(v any, prefix string, f func(key, name, tag string)) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	name, nok := m["name"].(string)
	if _, hasTag := m["tag"]; nok && hasTag && strings.HasSuffix(prefix, "image") {
		f(prefix, name, fmt.Sprint(m["tag"]))
	}
	for k, e := range m {
		images(e, join(prefix, k), f)
	}
}

// schemaKeys records the node kind of every key the JSON schema
// describes ("." is the top level): "closed" (an object that allows no
// other keys), "open" (an object that allows any), "pattern RE..." (a
// closed object that also allows keys matching its patternProperties'
// regular expressions) or "leaf". The children of patternProperties are
// recorded under the segment "*".
func schemaKeys(prefix string, s map[string]any, out map[string]string) error {
	props, _ := s["properties"].(map[string]any)
	pats, _ := s["patternProperties"].(map[string]any)
	addl, hasAddl := s["additionalProperties"]
	closed := hasAddl && addl == false
	kind := "leaf"
	switch {
	case props == nil && pats == nil && !closed:
		if isObject(s) {
			kind = "open"
		}
	case closed && len(pats) > 0:
		var res []string
		for re := range pats {
			if strings.ContainsAny(re, " \t\n") {
				return fmt.Errorf("%s: pattern %q has white space", prefix, re)
			}
			res = append(res, re)
		}
		sort.Strings(res)
		kind = "pattern " + strings.Join(res, " ")
	case closed:
		kind = "closed"
	default:
		kind = "open"
	}
	key := prefix
	if key == "" {
		key = "."
	}
	out[key] = kind
	for k, e := range props {
		if sub, ok := e.(map[string]any); ok {
			if err := schemaKeys(join(prefix, k), sub, out); err != nil {
				return err
			}
		}
	}
	for _, e := range pats {
		if sub, ok := e.(map[string]any); ok {
			if err := schemaKeys(join(prefix, "*"), sub, out); err != nil {
				return err
			}
		}
	}
	return nil
}

func isObject(s map[string]any) bool {
	switch t := s["type"].(type) {
	case string:
		return t == "object"
	case []any:
		for _, e := range t {
			if e == "object" {
				return true
			}
		}
	}
	return false
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func writeTSV(path string, head []string, rows [][]string) error {
	var b strings.Builder
	b.WriteString(strings.Join(head, "\t") + "\n")
	for _, r := range rows {
		for i, c := range r {
			r[i] = strings.NewReplacer("\t", " ", "\n", `\n`).Replace(c)
		}
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func show(repo, tag, path string) ([]byte, error) { return git(repo, "show", tag+":"+path) }

func git(repo string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return b, nil
}
