package kb

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"

	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

// Chart is one release of the Zero to JupyterHub Helm chart and what it
// ships: the hub image's pinned packages, the images and defaults of its
// values.yaml and the keys of its values.schema.yaml.
type Chart struct {
	// Version is the chart version ("4.0.0", "4.0.0-beta.1").
	Version    string
	Prerelease bool
	Date       string
	// JupyterHub and KubeSpawner are what the hub image pins;
	// SingleuserJupyterHub is the jupyterhub of the single-user sample
	// image (zero before the image pinned one).
	JupyterHub           pep440.Version
	KubeSpawner          pep440.Version
	SingleuserJupyterHub pep440.Version
	sv                   *semver.Version
	index                int
	z                    *z2jhIndex
}

// z2jhIndex is the checked, indexed chart data.
type z2jhIndex struct {
	charts  []*Chart
	byVer   map[string]*Chart
	at      map[string]int // chart version -> index
	hub     []kbdata.ChartFact
	user    []kbdata.ChartFact
	images  []kbdata.ChartFact
	deflt   []kbdata.ChartFact
	schema  map[string][]kbdata.ChartFact
	pattern map[string]*regexp.Regexp
}

var loadZ2JH = sync.OnceValues(func() (*z2jhIndex, error) { return indexZ2JH(&embeddedZ2JH) })

func indexZ2JH(d *kbdata.Z2JH) (*z2jhIndex, error) {
	z := &z2jhIndex{byVer: map[string]*Chart{}, at: map[string]int{}, schema: map[string][]kbdata.ChartFact{}, pattern: map[string]*regexp.Regexp{},
		hub: d.HubPins, user: d.SingleuserPins, images: d.Images, deflt: d.Defaults}
	if _, err := pep440.Parse(d.SafeSlugSince); err != nil {
		return nil, fmt.Errorf("knowledge base: kubespawner safe slug release: %w", err)
	}
	for i, r := range d.Charts {
		sv, err := semver.StrictNewVersion(r.Version)
		if err != nil {
			return nil, fmt.Errorf("knowledge base: z2jh chart %q: %w", r.Version, err)
		}
		c := &Chart{Version: r.Version, Prerelease: r.Prerelease, Date: r.Date, sv: sv, index: i, z: z}
		if c.JupyterHub, err = pep440.Parse(r.JupyterHub); err != nil {
			return nil, fmt.Errorf("knowledge base: z2jh chart %s: jupyterhub: %w", r.Version, err)
		}
		if c.KubeSpawner, err = pep440.Parse(r.KubeSpawner); err != nil {
			return nil, fmt.Errorf("knowledge base: z2jh chart %s: kubespawner: %w", r.Version, err)
		}
		if r.SingleuserJupyterHub != "" {
			if c.SingleuserJupyterHub, err = pep440.Parse(r.SingleuserJupyterHub); err != nil {
				return nil, fmt.Errorf("knowledge base: z2jh chart %s: single-user jupyterhub: %w", r.Version, err)
			}
		}
		if i > 0 && !z.charts[i-1].sv.LessThan(sv) {
			return nil, fmt.Errorf("knowledge base: z2jh charts out of order at %s", r.Version)
		}
		z.charts = append(z.charts, c)
		z.byVer[r.Version] = c
		z.at[r.Version] = i
	}
	for _, fs := range [][]kbdata.ChartFact{d.HubPins, d.SingleuserPins, d.Images, d.Defaults, d.SchemaKeys} {
		for _, f := range fs {
			a, ok1 := z.at[f.First]
			b, ok2 := z.at[f.Last]
			if !ok1 || !ok2 || b < a {
				return nil, fmt.Errorf("knowledge base: z2jh fact %s: bad chart range %s..%s", f.Key, f.First, f.Last)
			}
		}
	}
	for _, f := range d.SchemaKeys {
		z.schema[f.Key] = append(z.schema[f.Key], f)
		if res, ok := strings.CutPrefix(f.Value, "pattern "); ok {
			for _, re := range strings.Fields(res) {
				if _, seen := z.pattern[re]; seen {
					continue
				}
				rx, err := regexp.Compile(re)
				if err != nil {
					return nil, fmt.Errorf("knowledge base: z2jh schema key %s: %w", f.Key, err)
				}
				z.pattern[re] = rx
			}
		}
	}
	return z, nil
}

// CheckZ2JH reports whether the embedded chart data is valid.
func CheckZ2JH() error {
	_, err := loadZ2JH()
	return err
}

// Charts returns every known chart release, oldest first.
func Charts() []*Chart {
	z, err := loadZ2JH()
	if err != nil {
		return nil
	}
	return z.charts
}

// ChartVersions returns the known chart versions, oldest first.
func ChartVersions() []string {
	var out []string
	for _, c := range Charts() {
		out = append(out, c.Version)
	}
	return out
}

// ResolveChart returns the chart release s names: an exact version
// ("4.0.0", "v4.0.0", "4.0.0-beta.1"), a line ("4", "4.3": its newest
// final release) or "latest" (the newest final release).
func ResolveChart(s string) (*Chart, error) {
	z, err := loadZ2JH()
	if err != nil {
		return nil, err
	}
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if c, ok := z.byVer[s]; ok {
		return c, nil
	}
	var pick func(*Chart) bool
	switch parts := strings.Split(s, "."); {
	case s == "latest":
		pick = func(*Chart) bool { return true }
	case len(parts) <= 2 && s != "":
		prefix := s + "."
		pick = func(c *Chart) bool { return strings.HasPrefix(c.Version, prefix) }
	}
	if pick != nil {
		for i := len(z.charts) - 1; i >= 0; i-- {
			if c := z.charts[i]; !c.Prerelease && pick(c) {
				return c, nil
			}
		}
	}
	if v, err := semver.NewVersion(s); err == nil {
		if c, ok := z.byVer[v.String()]; ok {
			return c, nil
		}
	}
	return nil, fmt.Errorf("unknown Zero to JupyterHub chart version %q", s)
}

// String returns the chart version.
func (c *Chart) String() string { return c.Version }

// Less reports whether c is an older release than d.
func (c *Chart) Less(d *Chart) bool { return c.index < d.index }

func (c *Chart) in(f kbdata.ChartFact) bool {
	return c.z.at[f.First] <= c.index && c.index <= c.z.at[f.Last]
}

func (c *Chart) facts(fs []kbdata.ChartFact) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		if c.in(f) {
			out[f.Key] = f.Value
		}
	}
	return out
}

// HubPins returns the packages the chart's hub image pins (normalized
// name -> version): the hub environment after an upgrade to c.
func (c *Chart) HubPins() map[string]string { return c.facts(c.z.hub) }

// SingleuserPins returns the jupyterhub and server packages the chart's
// single-user sample image pins.
func (c *Chart) SingleuserPins() map[string]string { return c.facts(c.z.user) }

// Images returns the images the chart's values.yaml names by values key
// ("singleuser.image" -> "quay.io/jupyterhub/k8s-singleuser-sample:4.4.0").
func (c *Chart) Images() map[string]string {
	m := c.facts(c.z.images)
	for k, v := range m {
		m[k] = strings.ReplaceAll(v, "{chart}", c.Version)
	}
	return m
}

// Default returns the chart's values.yaml default at a dotted key
// (decoded from JSON: nil, a string, a number, a bool, a list or an
// empty map) and whether values.yaml has the key.
func (c *Chart) Default(key string) (any, bool) {
	for _, f := range c.z.deflt {
		if f.Key == key && c.in(f) {
			var v any
			if err := json.Unmarshal([]byte(f.Value), &v); err != nil {
				return nil, false
			}
			return v, true
		}
	}
	return nil, false
}

// DefaultString returns the chart's default at key when it is a string.
func (c *Chart) DefaultString(key string) string {
	v, _ := c.Default(key)
	s, _ := v.(string)
	return s
}

// HasSchema reports whether the release ships a values.schema.yaml
// (3.0.0 and later).
func (c *Chart) HasSchema() bool {
	_, ok := c.SchemaNode(".")
	return ok
}

// SchemaNode returns the kind of the node values.schema.yaml describes
// at a dotted key ("." is the top level): "closed", "open", "leaf" or
// "pattern" (closed, but keys matching SchemaAllows' patterns are taken).
func (c *Chart) SchemaNode(key string) (string, bool) {
	for _, f := range c.z.schema[key] {
		if c.in(f) {
			kind, _, _ := strings.Cut(f.Value, " ")
			return kind, true
		}
	}
	return "", false
}

// SchemaChild says whether values.schema.yaml of c takes the key child
// under the node at parent ("." for the top level) and the dotted key
// that describes it (with "*" for a patternProperties segment); known is
// false when the schema says nothing of parent (an open node, a leaf, or
// no schema).
func (c *Chart) SchemaChild(parent, child string) (schemaKey string, ok, known bool) {
	var node kbdata.ChartFact
	found := false
	for _, f := range c.z.schema[parent] {
		if c.in(f) {
			node, found = f, true
		}
	}
	if !found {
		return "", false, false
	}
	kind, res, _ := strings.Cut(node.Value, " ")
	if kind != "closed" && kind != "pattern" {
		return "", false, false
	}
	key := child
	star := "*"
	if parent != "." {
		key = parent + "." + child
		star = parent + ".*"
	}
	if _, ok := c.SchemaNode(key); ok {
		return key, true, true
	}
	for _, re := range strings.Fields(res) {
		if c.z.pattern[re].MatchString(child) {
			return star, true, true
		}
	}
	return "", false, true
}

// SchemaChildren returns the keys values.schema.yaml of c lists under
// parent, sorted (for suggestions).
func (c *Chart) SchemaChildren(parent string) []string {
	prefix := parent + "."
	if parent == "." {
		prefix = ""
	}
	var out []string
	for k, fs := range c.z.schema {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || rest == "" || strings.Contains(rest, ".") || rest == "*" || k == "." {
			continue
		}
		for _, f := range fs {
			if c.in(f) {
				out = append(out, rest)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// ChartOfHubImage returns the chart release whose hub image is ref
// ("quay.io/jupyterhub/k8s-hub:3.3.8"): the computed values of a release
// (helm get values --all) name it, and so say which chart is installed.
func ChartOfHubImage(ref string) (*Chart, bool) {
	return chartOfImage("hub.image", ref)
}

// ChartOfSingleuserImage returns the chart release whose single-user
// sample image is ref.
func ChartOfSingleuserImage(ref string) (*Chart, bool) {
	return chartOfImage("singleuser.image", ref)
}

func chartOfImage(key, ref string) (*Chart, bool) {
	name, tag, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(ref), "docker.io/"), ":")
	if !ok || strings.Contains(tag, "@") {
		return nil, false
	}
	c, err := ResolveChart(tag)
	if err != nil || c.Version != strings.TrimPrefix(tag, "v") {
		return nil, false
	}
	im, ok := c.Images()[key]
	if !ok || im != name+":"+c.Version {
		return nil, false
	}
	return c, true
}

// KubeSpawnerTemplated returns the effect of a changed expansion of the
// KubeSpawner trait ("volume_mounts" -> "data"; see
// kb/facts/z2jh/README.md), and whether the trait is templated at all.
func KubeSpawnerTemplated(trait string) (effect string, ok bool) {
	for _, t := range embeddedZ2JH.Templated {
		if t.Trait == trait {
			return t.Effect, true
		}
	}
	return "", false
}

// SafeSlugSince is the KubeSpawner release whose slug_scheme defaults to
// "safe" (7.0.0).
func SafeSlugSince() pep440.Version {
	v, _ := pep440.Parse(embeddedZ2JH.SafeSlugSince)
	return v
}
