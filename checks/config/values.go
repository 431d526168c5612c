package config

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hubaudit/hubaudit/kb"
)

// analyzeValues reads a Zero to JupyterHub values.yaml: hub.config maps to
// traits, hub.extraConfig snippets are Python, and chart-level keys map to
// the traits the chart sets from them. The chart's values may sit at the
// top of the file or under parent chart keys (an umbrella chart's
// "jupyterhub:", BinderHub's and DaskHub's, "basehub: jupyterhub:"):
// each mapping that holds the chart's own hub, singleuser or proxy
// mapping is read as the chart.
func analyzeValues(name string, src []byte) []*fileResult {
	res := &fileResult{rewrites: map[string]int{}}
	if len(src) > maxFileSize {
		res.errors = append(res.errors, ParseError{File: name, Reason: fmt.Sprintf("file is %d MB, larger than the %d MB a config can be; not analysed", len(src)>>20, maxFileSize>>20)})
		return []*fileResult{res}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		res.errors = append(res.errors, yamlError(name, err))
		return []*fileResult{res}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return []*fileResult{res}
	}
	root := doc.Content[0]
	charts := findCharts(root, "", 0)
	if len(charts) == 0 {
		charts = []chartNode{{node: root, line: 1}}
	}
	parts := []*fileResult{res}
	lines := strings.Split(string(src), "\n")
	for _, ch := range charts {
		parts = append(parts, analyzeChart(name, res, ch, lines)...)
	}
	var seen []Suppression
	for _, r := range parts {
		seen = append(seen, r.suppressions...)
	}
	res.suppressions = append(res.suppressions, yamlSuppressions(name, src, seen)...)
	return parts
}

// chartNode is where the chart's values sit in a values file: the
// mapping, its parent keys joined by "." ("" at the top) and its line.
type chartNode struct {
	node   *yaml.Node
	prefix string
	line   int
}

// maxChartDepth bounds how deep parent chart keys are looked through.
const maxChartDepth = 8

// findCharts returns the mappings under m (m included) that hold the
// chart's hub, singleuser or proxy mapping, not looking inside one found.
func findCharts(m *yaml.Node, prefix string, depth int) []chartNode {
	if m == nil || m.Kind != yaml.MappingNode || depth > maxChartDepth {
		return nil
	}
	for _, k := range []string{"hub", "singleuser", "proxy"} {
		if v := child(m, k); v != nil && v.Kind == yaml.MappingNode {
			return []chartNode{{node: m, prefix: prefix, line: max(m.Line, 1)}}
		}
	}
	var out []chartNode
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if v.Kind != yaml.MappingNode {
			continue
		}
		found := findCharts(v, joinKey(prefix, k.Value), depth+1)
		for j := range found {
			if found[j].prefix == joinKey(prefix, k.Value) {
				found[j].line = k.Line
			}
		}
		out = append(out, found...)
	}
	return out
}

func joinKey(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// analyzeChart reads the chart's values at ch into res and returns the
// results of its hub.extraConfig snippets.
func analyzeChart(name string, res *fileResult, ch chartNode, lines []string) []*fileResult {
	root := ch.node
	via := func(key string) string { return joinKey(ch.prefix, key) }
	hubNode := child(root, "hub")
	chartLine := ch.line
	if hubNode != nil && ch.prefix == "" {
		chartLine = hubNode.Line
	}
	cv := ChartValues{File: name, Path: ch.prefix, Line: ch.line}
	valueKeys("", -1, root, &cv.Keys)
	if v := nodeValue(root); v != nil {
		cv.Values, _ = v.(map[string]any)
	}
	if _, n := path(root, []string{"hub", "image", "name"}); n != nil && n.Kind == yaml.ScalarNode {
		if _, t := path(root, []string{"hub", "image", "tag"}); t != nil && t.Kind == yaml.ScalarNode && t.Value != "" {
			cv.HubImage = n.Value + ":" + t.Value
		}
	}
	res.charts = append(res.charts, cv)
	// The chart itself (knowledge base, z2jh_chart.tsv): KubeSpawner, a
	// proxy in its own pod, servers kept running when the hub restarts,
	// and the dummy authenticator unless hub.config sets another.
	chartKeys, chartDefaults := kb.Z2JHChart()
	for _, d := range chartDefaults {
		res.assignments = append(res.assignments, Assignment{File: name, Line: chartLine, Column: 1, Trait: d.Trait, Op: "chart", Value: d.Value, ValueKind: "literal", Via: "chart default"})
	}
	// Chart-level keys.
	for _, ck := range chartKeys {
		kn, vn := path(root, strings.Split(ck.Key, "."))
		if vn == nil || vn.Kind != yaml.ScalarNode && vn.Kind != yaml.SequenceNode && vn.Kind != yaml.MappingNode {
			continue
		}
		if vn.Kind == yaml.ScalarNode && vn.Tag == "!!null" {
			continue
		}
		res.addAssignment(Assignment{File: name, Line: kn.Line, Column: kn.Column, Trait: ck.Trait, Op: "chart", Value: nodeValue(vn), ValueKind: "literal", Via: via(ck.Key)})
	}
	if kn, vn := path(root, []string{"singleuser", "image", "name"}); vn != nil {
		img := vn.Value
		if _, tn := path(root, []string{"singleuser", "image", "tag"}); tn != nil && tn.Value != "" {
			img += ":" + tn.Value
		}
		res.addAssignment(Assignment{File: name, Line: kn.Line, Column: kn.Column, Trait: "KubeSpawner.image", Op: "chart", Value: img, ValueKind: "literal", Via: via("singleuser.image")})
	}
	if kn, vn := path(root, []string{"hub", "db", "type"}); vn != nil {
		var u string
		switch vn.Value {
		case "sqlite-pvc":
			u = "sqlite:///jupyterhub.sqlite"
		case "sqlite-memory":
			u = "sqlite://"
		}
		if u != "" {
			res.addAssignment(Assignment{File: name, Line: kn.Line, Column: kn.Column, Trait: "JupyterHub.db_url", Op: "chart", Value: u, ValueKind: "literal", Via: via("hub.db.type")})
		}
	}
	if kn, vn := path(root, []string{"hub", "db", "password"}); vn != nil && vn.Kind == yaml.ScalarNode && vn.Value != "" && vn.Tag != "!!null" {
		res.secrets = append(res.secrets, Secret{File: name, Line: kn.Line, Column: kn.Column, Subject: "yaml:" + via("hub.db.password"), Kind: "db_password"})
	}
	// hub.config: Class -> trait -> value.
	if cfg := child(hubNode, "config"); cfg != nil && cfg.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(cfg.Content); i += 2 {
			cls, body := cfg.Content[i], cfg.Content[i+1]
			if body.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(body.Content); j += 2 {
				k, v := body.Content[j], body.Content[j+1]
				res.addAssignment(Assignment{File: name, Line: k.Line, Column: k.Column, Trait: cls.Value + "." + k.Value, Op: "=",
					Value: nodeValue(v), ValueKind: "literal", Via: via("hub.config." + cls.Value + "." + k.Value)})
			}
		}
	}
	// hub.extraConfig: name -> Python snippet, run in sorted key order,
	// each analysed as a Python source of its own after the values.
	var parts []*fileResult
	if ec := child(hubNode, "extraConfig"); ec != nil && ec.Kind == yaml.MappingNode {
		type snip struct{ k, v *yaml.Node }
		var snips []snip
		for i := 0; i+1 < len(ec.Content); i += 2 {
			snips = append(snips, snip{ec.Content[i], ec.Content[i+1]})
		}
		sort.SliceStable(snips, func(i, j int) bool { return snips[i].k.Value < snips[j].k.Value })
		for _, s := range snips {
			if s.v.Kind != yaml.ScalarNode {
				continue
			}
			pm := snippetMap(s.v, lines)
			parts = append(parts, analyzePython(name, []byte(s.v.Value), pm))
		}
	}
	return parts
}

// valueKeys appends every mapping key under m (not inside lists), dotted
// from prefix, with its position, in file order.
func valueKeys(prefix string, parent int, m *yaml.Node, out *[]ValuesKey) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key := joinKey(prefix, k.Value)
		*out = append(*out, ValuesKey{Key: key, Name: k.Value, Parent: parent, Line: k.Line, Column: k.Column})
		valueKeys(key, len(*out)-1, v, out)
	}
}

// yamlSuppressions finds "# hubaudit: ignore[...] reason" comments in the
// YAML itself (those inside extraConfig snippets are already known).
func yamlSuppressions(name string, src []byte, known []Suppression) []Suppression {
	have := map[int]bool{}
	for _, s := range known {
		have[s.At] = true
	}
	lines := strings.Split(string(src), "\n")
	var out []Suppression
	for i, l := range lines {
		k := strings.Index(l, "# hubaudit:")
		if k < 0 || have[i+1] {
			continue
		}
		m := suppressRE().FindStringSubmatch(strings.TrimRight(l[k:], "\r"))
		if m == nil {
			continue
		}
		var rules []string
		for _, r := range strings.Split(m[1], ",") {
			if r = strings.TrimSpace(r); r != "" {
				rules = append(rules, strings.ToUpper(r))
			}
		}
		reason := m[2]
		if j := strings.Index(" "+reason, " #"); j >= 0 {
			reason = (" " + reason)[:j]
		}
		s := Suppression{Rules: rules, File: name, Line: i + 1, At: i + 1, Reason: strings.TrimSpace(reason)}
		if strings.TrimSpace(l[:k]) == "" {
			// Alone on its line: applies to the next line with content.
			for j := i + 1; j < len(lines); j++ {
				t := strings.TrimSpace(lines[j])
				if t != "" && !strings.HasPrefix(t, "#") {
					s.Line = j + 1
					break
				}
			}
		}
		out = append(out, s)
	}
	return out
}

// snippetMap maps positions in a YAML scalar's text to the YAML file.
func snippetMap(n *yaml.Node, lines []string) posMap {
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// Content starts on the line after the indicator; its indentation
		// is that of the first non-blank content line.
		first := n.Line // 1-based line of the indicator
		indent := 0
		for l := first; l < len(lines); l++ {
			t := lines[l]
			if strings.TrimSpace(t) == "" {
				continue
			}
			indent = len(t) - len(strings.TrimLeft(t, " "))
			break
		}
		return func(line, col int) (int, int) {
			if line == 0 {
				return first, 0
			}
			return first + line, col + indent
		}
	}
	off := 0
	if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
		off = 1
	}
	return func(line, col int) (int, int) {
		if line <= 1 {
			return n.Line, n.Column + off + col - 1
		}
		return n.Line + line - 1, col
	}
}

func child(m *yaml.Node, key string) *yaml.Node {
	_, v := childKV(m, key)
	return v
}

func childKV(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

func path(m *yaml.Node, keys []string) (k, v *yaml.Node) {
	v = m
	for _, key := range keys {
		k, v = childKV(v, key)
		if v == nil {
			return nil, nil
		}
	}
	return k, v
}

// nodeValue converts a YAML node to a plain Go value.
func nodeValue(n *yaml.Node) any {
	var v any
	if err := n.Decode(&v); err != nil {
		return n.Value
	}
	return normalize(v)
}

func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalize(e)
		}
		return t
	case map[any]any:
		out := map[string]any{}
		for k, e := range t {
			out[keyString(k)] = normalize(e)
		}
		return out
	case []any:
		for i, e := range t {
			t[i] = normalize(e)
		}
		return t
	case int:
		return int64(t)
	}
	return v
}
