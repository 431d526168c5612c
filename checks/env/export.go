package env

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/hubaudit/hubaudit/internal/lazyre"
	"github.com/hubaudit/hubaudit/pep440"
)

// maxExportBytes bounds the size of an exported package list.
const maxExportBytes = 64 << 20

var (
	freezePinRE  = lazyre.New(`^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^\s;#\\]+)`)
	freezeURLRE  = lazyre.New(`^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s+@\s+\S+`)
	eggFragRE    = lazyre.New(`[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)`)
	noVCSRE      = lazyre.New(`^# Editable install with no version control \(([A-Za-z0-9][A-Za-z0-9._-]*)==([^)\s]+)\)`)
	reqLineRE    = lazyre.New(`^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:[<>=!~(;]|$)`)
	condaExpRE   = lazyre.New(`^([A-Za-z0-9_][A-Za-z0-9._-]*)=([^=\s]+)=(\S+)$`)
	condaColsRE  = lazyre.New(`^([A-Za-z0-9_][A-Za-z0-9._-]*)\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*$`)
	pipColsRE    = lazyre.New(`^([A-Za-z0-9][A-Za-z0-9._-]*)\s+(\S+)(?:\s+.*)?$`)
	dashesRE     = lazyre.New(`^-+(\s+-+)+\s*$`)
	pipHeaderRE  = lazyre.New(`^Package\s+Version(\s|$)`)
	condaSpecRE  = lazyre.New(`^([A-Za-z0-9_][A-Za-z0-9._-]*)(?:(?:=|==)([^=\s]+))?(?:=(\S+))?$`)
	pythonPkgKey = "python"
)

// readExport reads an exported package list, detecting its format from
// the content.
func readExport(e *Environment, data []byte) {
	path := e.Path
	if len(bytes.TrimSpace(data)) == 0 {
		e.Kind = KindUnknown
		e.Problems = append(e.Problems, Problem{Kind: "empty", Path: path, Detail: "the file is empty: no packages listed"})
		return
	}
	probe := data
	if len(probe) > 8192 {
		probe = probe[:8192]
	}
	if bytes.IndexByte(probe, 0) >= 0 || !utf8.Valid(trimPartialRune(probe)) {
		e.Kind = KindUnknown
		e.Problems = append(e.Problems, Problem{Kind: "binary", Path: path, Detail: "binary content: neither a Python prefix nor a package list"})
		return
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	trim := strings.TrimSpace(text)
	var err error
	switch {
	case strings.HasPrefix(trim, "[") || strings.HasPrefix(trim, "{"):
		err = readJSONExport(e, []byte(trim))
	case isCondaEnvYAML(text):
		err = readCondaEnvYAML(e, []byte(text))
	case isCondaList(text):
		readCondaList(e, text)
	case isPipList(text):
		readPipList(e, text)
	default:
		if !readFreeze(e, text) {
			e.Kind = KindUnknown
			e.Problems = append(e.Problems, Problem{Kind: "unknown-format", Path: path,
				Detail: "not a Python prefix and not a recognized package list (pip freeze, pip list, conda list, conda env export)"})
			return
		}
	}
	if err != nil {
		e.Kind = KindUnknown
		e.Problems = append(e.Problems, Problem{Kind: "unknown-format", Path: path, Detail: err.Error()})
		return
	}
	// conda-forge ships the jupyterhub Python package in jupyterhub-base
	// (jupyterhub and jupyterhub-singleuser are metapackages over it).
	if v, ok := e.Packages["jupyterhub-base"]; ok {
		if _, has := e.Packages["jupyterhub"]; !has {
			e.Packages["jupyterhub"] = v
		}
	}
	if v, ok := e.Packages[pythonPkgKey]; ok && e.Python == "" {
		e.Python = v
	}
	if e.Packages == nil {
		e.Packages = map[string]string{}
	}
	if e.ConfigurableHTTPProxy == "" {
		e.ConfigurableHTTPProxy = e.Packages[chpName]
	}
}

func trimPartialRune(b []byte) []byte {
	for i := 0; i < 3 && len(b) > 0; i++ {
		r, size := utf8.DecodeLastRune(b)
		if r != utf8.RuneError || size != 1 {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}

func (e *Environment) addPackage(name, version string) {
	if e.Packages == nil {
		e.Packages = map[string]string{}
	}
	key := pep440.NormalizeName(name)
	if key == "" {
		return
	}
	if _, dup := e.Packages[key]; !dup || e.Packages[key] == "" {
		e.Packages[key] = version
	}
}

func (e *Environment) badLine(n int, line, why string) {
	e.Problems = append(e.Problems, Problem{Kind: "bad-line", Path: e.Path, Line: n, Detail: why + ": " + oneLine(line)})
}

// readJSONExport reads `pip list --format=json`, `conda list --json` or
// `pip inspect` output.
func readJSONExport(e *Environment, data []byte) error {
	type listItem struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Channel string `json:"channel"`
	}
	if data[0] == '[' {
		var items []listItem
		if err := json.Unmarshal(data, &items); err != nil {
			return fmt.Errorf("JSON package list does not parse: %v", err)
		}
		e.Kind = KindPipListJSON
		for i, it := range items {
			if it.Name == "" {
				e.badLine(0, fmt.Sprintf("item %d", i+1), "entry without a name")
				continue
			}
			if it.Channel != "" {
				e.Kind = KindCondaListJSON
			}
			e.addPackage(it.Name, it.Version)
		}
		return nil
	}
	var inspect struct {
		Version     string `json:"version"`
		Environment struct {
			PythonFullVersion string `json:"python_full_version"`
		} `json:"environment"`
		Installed []struct {
			Metadata struct {
				Name           string   `json:"name"`
				Version        string   `json:"version"`
				RequiresDist   []string `json:"requires_dist"`
				RequiresPython string   `json:"requires_python"`
			} `json:"metadata"`
		} `json:"installed"`
	}
	if err := json.Unmarshal(data, &inspect); err != nil {
		return fmt.Errorf("JSON package list does not parse: %v", err)
	}
	if inspect.Installed == nil {
		return fmt.Errorf("JSON object is not a `pip inspect` report (no \"installed\" list)")
	}
	e.Kind = KindPipInspect
	e.Python = inspect.Environment.PythonFullVersion
	r := &prefixReader{env: e}
	for _, it := range inspect.Installed {
		m := it.Metadata
		if m.Name == "" {
			continue
		}
		key := pep440.NormalizeName(m.Name)
		e.addPackage(m.Name, m.Version)
		if m.RequiresPython != "" {
			if e.RequiresPython == nil {
				e.RequiresPython = map[string]string{}
			}
			e.RequiresPython[key] = m.RequiresPython
		}
		r.addRequires(key, e.Path, m.RequiresDist)
	}
	return nil
}

func isCondaEnvYAML(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "dependencies:") {
			return true
		}
	}
	return false
}

// readCondaEnvYAML reads `conda env export` output.
func readCondaEnvYAML(e *Environment, data []byte) error {
	var doc struct {
		Name         string `yaml:"name"`
		Dependencies []any  `yaml:"dependencies"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("conda environment YAML does not parse: %v", oneLine(err.Error()))
	}
	e.Kind = KindCondaEnvYAML
	for _, d := range doc.Dependencies {
		switch v := d.(type) {
		case string:
			m := condaSpecRE().FindStringSubmatch(strings.TrimSpace(v))
			if m == nil {
				e.badLine(0, v, "unrecognized conda dependency")
				continue
			}
			e.addPackage(m[1], m[2])
		case map[string]any:
			pips, _ := v["pip"].([]any)
			for _, p := range pips {
				s, _ := p.(string)
				if m := freezePinRE().FindStringSubmatch(s); m != nil {
					// pip entries win over conda ones of the same name.
					delete(e.Packages, pep440.NormalizeName(m[1]))
					e.addPackage(m[1], m[2])
				} else if m := freezeURLRE().FindStringSubmatch(s); m != nil {
					e.addPackage(m[1], versionFromURL(m[1], s))
				}
			}
		}
	}
	return nil
}

func isCondaList(text string) bool {
	lines := strings.Split(text, "\n")
	for _, line := range lines {
		if strings.HasPrefix(line, "# packages in environment at") || strings.HasPrefix(line, "# platform:") ||
			strings.HasPrefix(line, "# This file may be used to create an environment using:") {
			return true
		}
	}
	// Without the header: every package line is name=version=build.
	n := 0
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if !condaExpRE().MatchString(line) {
			return false
		}
		n++
	}
	return n > 0
}

// readCondaList reads `conda list` (columns) and `conda list --export`
// (name=version=build) output.
func readCondaList(e *Environment, text string) {
	e.Kind = KindCondaList
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == '@' {
			continue
		}
		if m := condaExpRE().FindStringSubmatch(line); m != nil {
			e.Kind = KindCondaExport
			e.addPackage(m[1], m[2])
			continue
		}
		if m := condaColsRE().FindStringSubmatch(line); m != nil {
			e.addPackage(m[1], m[2])
			continue
		}
		e.badLine(i+1, line, "unrecognized conda list line")
	}
}

func isPipList(text string) bool {
	lines := strings.SplitN(strings.TrimLeft(text, "\n"), "\n", 3)
	return len(lines) >= 2 && pipHeaderRE().MatchString(lines[0]) && dashesRE().MatchString(lines[1])
}

// readPipList reads `pip list` column output.
func readPipList(e *Environment, text string) {
	e.Kind = KindPipList
	lines := strings.Split(strings.TrimLeft(text, "\n"), "\n")
	for i, line := range lines[2:] {
		if strings.TrimSpace(line) == "" {
			continue
		}
		m := pipColsRE().FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			e.badLine(i+3, line, "unrecognized pip list line")
			continue
		}
		e.addPackage(m[1], m[2])
	}
}

// readFreeze reads `pip freeze` / `uv pip freeze` output or a
// requirements.txt with pins. It reports false when nothing in the text
// looks like a requirement.
func readFreeze(e *Environment, text string) bool {
	e.Kind = KindPipFreeze
	var bad []int
	var badText []string
	found := 0
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		n := i + 1
		line := strings.TrimSpace(lines[i])
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSpace(strings.TrimSuffix(line, "\\")) + " " + strings.TrimSpace(lines[i])
		}
		if m := noVCSRE().FindStringSubmatch(line); m != nil {
			e.addPackage(m[1], m[2])
			found++
			continue
		}
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || line[0] == '#' {
			continue
		}
		switch {
		case strings.HasPrefix(line, "-e ") || strings.HasPrefix(line, "--editable"):
			if m := eggFragRE().FindStringSubmatch(line); m != nil {
				e.addPackage(m[1], "")
				found++
			}
			continue
		case line[0] == '-':
			// options: -r, -c, --index-url, --hash lines...
			e.Kind = KindRequirements
			continue
		}
		if m := freezePinRE().FindStringSubmatch(line); m != nil {
			e.addPackage(m[1], m[2])
			found++
			if strings.Contains(line, "--hash") {
				e.Kind = KindRequirements
			}
			continue
		}
		if m := freezeURLRE().FindStringSubmatch(line); m != nil {
			e.addPackage(m[1], versionFromURL(m[1], line))
			found++
			continue
		}
		if m := reqLineRE().FindStringSubmatch(line); m != nil {
			// an unpinned requirement: the version is not known
			e.Kind = KindRequirements
			e.addPackage(m[1], "")
			found++
			continue
		}
		bad = append(bad, n)
		badText = append(badText, line)
	}
	if found == 0 {
		e.Packages = map[string]string{}
		return false
	}
	for j, n := range bad {
		e.badLine(n, badText[j], "not a requirement line")
	}
	return true
}

var wheelFileRE = lazyre.New(`/([^/#?]+?)-([^-/#?]+?)(?:-\d[^-/#?]*)?-[^-/#?]+-[^-/#?]+-[^-/#?]+\.whl(?:[#?]|$)`)

// versionFromURL reads the version from the wheel file name of a direct
// reference ("name @ file:///w/name-1.0-py3-none-any.whl"), when the
// wheel is the named distribution; "" otherwise.
func versionFromURL(name, line string) string {
	m := wheelFileRE().FindStringSubmatch(strings.Fields(line + " ")[2])
	if m == nil || pep440.NormalizeName(m[1]) != pep440.NormalizeName(name) {
		return ""
	}
	return m[2]
}
