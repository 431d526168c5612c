package audit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hubaudit/hubaudit/rules"
)

// ProjectConfigName is the per-deployment settings file read from --dir.
const ProjectConfigName = ".hubaudit.yaml"

// projectConfig is the parsed .hubaudit.yaml.
type projectConfig struct {
	Inputs       yamlInputs
	Checks       string
	Severities   map[string]rules.Severity
	Suppressions []rules.Suppression
}

type yamlConfig struct {
	Inputs   yamlInputs        `yaml:"inputs"`
	Checks   string            `yaml:"checks"`
	Severity map[string]string `yaml:"severity"`
	Ignore   []struct {
		Rules   yamlStrings `yaml:"rules"`
		Subject string      `yaml:"subject"`
		File    string      `yaml:"file"`
		Reason  string      `yaml:"reason"`
		line    int
	} `yaml:"ignore"`
}

// yamlInputs are default inputs for the deployment, relative to its
// directory; command-line flags replace them.
type yamlInputs struct {
	Config  yamlStrings `yaml:"config"`
	DB      string      `yaml:"db"`
	HubEnv  string      `yaml:"hub_env"`
	UserEnv yamlStrings `yaml:"user_env"`
	Log     yamlStrings `yaml:"log"`
}

// yamlStrings accepts "HUB101" or [HUB101, HUB102].
type yamlStrings []string

func (s *yamlStrings) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = strings.Split(n.Value, ",")
		for i := range *s {
			(*s)[i] = strings.TrimSpace((*s)[i])
		}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*s = l
	return nil
}

// loadProjectConfig reads .hubaudit.yaml from dir; a missing file is fine,
// a malformed one is a usage error.
func loadProjectConfig(dir string) (projectConfig, error) {
	path := filepath.Join(dir, ProjectConfigName)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return projectConfig{}, nil
	}
	if err != nil {
		return projectConfig{}, usagef("", "%s: %v", path, unwrapPath(err))
	}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&root); err != nil && err.Error() != "EOF" {
		return projectConfig{}, usagef("see README: .hubaudit.yaml", "%s: %v", path, err)
	}
	var y yamlConfig
	dec = yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&y); err != nil && err.Error() != "EOF" {
		return projectConfig{}, usagef("known keys: checks, severity, ignore (rules, subject, file, reason)", "%s: %v", path, err)
	}
	lines := ignoreLines(&root)
	pc := projectConfig{Inputs: y.Inputs, Checks: y.Checks, Severities: map[string]rules.Severity{}}
	for id, s := range y.Severity {
		sev, err := rules.ParseSeverity(s)
		if err != nil || sev == rules.SeverityNone {
			return projectConfig{}, usagef("", "%s: severity of %s: %q is not error, warning or note", path, id, s)
		}
		pc.Severities[strings.ToUpper(id)] = sev
	}
	for i, ig := range y.Ignore {
		if len(ig.Rules) == 0 {
			return projectConfig{}, usagef("each ignore entry needs rules: [HUB...] and a reason", "%s: ignore entry %d names no rules", path, i+1)
		}
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		pc.Suppressions = append(pc.Suppressions, rules.Suppression{
			Rules: ig.Rules, Subject: ig.Subject, File: ig.File, Reason: strings.TrimSpace(ig.Reason),
			Origin: fmt.Sprintf("%s:%d", ProjectConfigName, line),
		})
	}
	return pc, nil
}

// ignoreLines returns the line of each entry of the top-level ignore list.
func ignoreLines(root *yaml.Node) []int {
	if root == nil || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "ignore" {
			var out []int
			for _, e := range m.Content[i+1].Content {
				out = append(out, e.Line)
			}
			return out
		}
	}
	return nil
}
