package deploy

import (
	"bytes"
	"fmt"
	"github.com/hubaudit/hubaudit/internal/shell"
	"strings"
	"sync"
	"text/template"
)

// Params are the values a kind's step templates see.
type Params struct {
	// Target is the JupyterHub version upgraded to.
	Target string
	// Prefix is the hub environment's prefix and Python its interpreter
	// (PREFIX/bin/python); empty when the hub environment is an export.
	Prefix string
	Python string
	// Packages are the pip requirements to install in the hub
	// environment ("'jupyterhub==5.5.1' oauthenticator"), CondaPackages
	// the same for conda ("jupyterhub=5.5.1 oauthenticator").
	Packages      string
	CondaPackages string
	// HubEnv is the hub environment as given (a prefix or an export).
	HubEnv string
	// ConfigFile is the main config file (for upgrade-db -f).
	ConfigFile string
	// Dir is the deployment directory.
	Dir string
	// Post is the post-upgrade audit command, with the hub URL and the
	// log source of this deployment; Pre is the pre --snapshot command
	// that writes the baseline. Both carry the audit's inputs (Given).
	Post string
	Pre  string
	// Given are the inputs the audit was given.
	Given Given
	// Unit is the systemd unit of the hub, when known.
	Unit string
	// Vars are the kind's own values (Spec.Vars).
	Vars map[string]string
	// Facts are the deployment facts.
	Facts *Facts
}

// Rendered is a kind's step with its templates filled in.
type Rendered struct {
	Title, Detail string
	Commands      []string
	HubInstall    []string
	UserInstall   []string
	Omit          bool
	AppendDetail  bool
}

var tmplCache sync.Map // source -> *template.Template

// render fills one template source.
func render(src string, p *Params) (string, error) {
	if !strings.Contains(src, "{{") {
		return src, nil
	}
	t, ok := tmplCache.Load(src)
	if !ok {
		nt, err := template.New("step").Option("missingkey=error").Parse(src)
		if err != nil {
			return "", err
		}
		t, _ = tmplCache.LoadOrStore(src, nt)
	}
	var b bytes.Buffer
	if err := t.(*template.Template).Execute(&b, p); err != nil {
		return "", err
	}
	return b.String(), nil
}

// StepFor returns the kind's version of a generic step, rendered; ok is
// false when the kind keeps the generic step.
func (s *Spec) StepFor(id StepID, p *Params) (Rendered, bool, error) {
	st, ok := s.Steps[id]
	if !ok {
		return Rendered{}, false, nil
	}
	if apply, err := st.applies(p); err != nil || !apply {
		return Rendered{}, false, err
	}
	r, err := st.render(p)
	return r, true, err
}

// ExtraBefore returns the kind's own steps placed before step id,
// rendered.
func (s *Spec) ExtraBefore(id StepID, p *Params) ([]Rendered, []StepID, error) {
	var out []Rendered
	var ids []StepID
	for _, x := range s.Extra {
		if x.Before != id {
			continue
		}
		if apply, err := x.Step.applies(p); err != nil {
			return nil, nil, err
		} else if !apply {
			continue
		}
		r, err := x.Step.render(p)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, r)
		ids = append(ids, x.ID)
	}
	return out, ids, nil
}

// applies renders the step's When condition.
func (st Step) applies(p *Params) (bool, error) {
	if st.When == "" {
		return true, nil
	}
	s, err := render(st.When, p)
	if err != nil {
		return false, fmt.Errorf("step condition: %w", err)
	}
	return strings.TrimSpace(s) != "", nil
}

func (st Step) render(p *Params) (Rendered, error) {
	r := Rendered{Omit: st.Omit, AppendDetail: st.AppendDetail}
	var err error
	if r.Title, err = render(st.Title, p); err != nil {
		return r, fmt.Errorf("step title: %w", err)
	}
	if r.Detail, err = render(st.Detail, p); err != nil {
		return r, fmt.Errorf("step detail: %w", err)
	}
	if r.Commands, err = renderAll(st.Commands, p); err != nil {
		return r, err
	}
	if r.HubInstall, err = renderAll(st.HubInstall, p); err != nil {
		return r, err
	}
	if r.UserInstall, err = renderAll(st.UserInstall, p); err != nil {
		return r, err
	}
	return r, nil
}

// renderAll renders command templates; nil stays nil. A template that
// renders to nothing drops its command (one that applies only when a
// value is present).
func renderAll(srcs []string, p *Params) ([]string, error) {
	if srcs == nil {
		return nil, nil
	}
	out := []string{}
	for _, c := range srcs {
		s, err := render(c, p)
		if err != nil {
			return nil, fmt.Errorf("step command: %w", err)
		}
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// PostCommand is the post-upgrade audit command for this deployment: the
// hub URL from the config shape and the log source actually given, and
// the inputs the audit was given (g), so that it audits the same
// deployment.
func (f *Facts) PostCommand(target string, g Given) string {
	var b strings.Builder
	pipe := ""
	if spec, ok := Lookup(f.Kind); ok && spec.LogPipe != nil && len(f.Log.Files) == 0 && !f.Log.Journald {
		pipe = spec.LogPipe(f)
	}
	switch {
	case f.Log.Journald && f.Log.Unit != "":
		fmt.Fprintf(&b, "journalctl -u %s --since today | ", shell.Quote(f.Log.Unit))
	case f.Log.Docker != "" && len(f.Log.Files) == 0:
		fmt.Fprintf(&b, "docker compose%s logs --no-color %s | ", f.composeFileArg(), shell.Quote(f.Log.Docker))
	case pipe != "":
		b.WriteString(pipe + " | ")
	}
	chart := f.Chart["chart"]
	if chart == "CHART" || chart == "CHART-VERSION" {
		chart = ""
	}
	fmt.Fprintf(&b, "hubaudit post --target %s --baseline hubaudit-pre.json --hub-url %s%s", shell.Quote(target), shell.Quote(f.Config.HubURL), g.args(true, chart))
	switch {
	case f.Log.Journald && f.Log.Unit != "", f.Log.Docker != "" && len(f.Log.Files) == 0, pipe != "":
		b.WriteString(" --log -")
	case len(f.Log.Files) > 0:
		for _, l := range f.Log.Files {
			fmt.Fprintf(&b, " --log %s", shell.Quote(l))
		}
	default:
		b.WriteString(" --log HUB-LOG   # no --log was given: name the hub's log file")
		return b.String() + strings.Replace(g.note(), "   #", ";", 1)
	}
	return b.String() + g.note()
}

// RefreshCommands are the commands that export again, from the upgraded
// deployment, the inputs the audit was given as exported files (g's
// Exports: a hub package list, helm list output), for post to read
// before the post command: the files describe what ran before the
// upgrade. A kind that knows how says it with its commands (the hub
// container's pip freeze); otherwise a comment says what to do.
func (f *Facts) RefreshCommands(g Given) []string {
	if f == nil {
		f = &Facts{Kind: Unknown}
	}
	spec, _ := Lookup(f.Kind)
	var out []string
	for _, e := range g.Exports() {
		if spec != nil && spec.Refresh != nil {
			if c := spec.Refresh(f, e[0], e[1]); c != "" {
				out = append(out, c+"   # as the upgraded deployment has it, for post")
				continue
			}
		}
		out = append(out, fmt.Sprintf("# export %s again from the upgraded hub (the way it was made) before post: %s %s describes what ran before the upgrade", e[1], e[0], e[1]))
	}
	return out
}

// ExportHubEnv is the command that writes the running hub's packages
// (pip freeze) to file, for --hub-env, when the kind knows where the hub
// runs (the compose service's container, the chart's hub pod, TLJH's hub
// environment); "" otherwise.
func (f *Facts) ExportHubEnv(file string) string {
	if f == nil {
		return ""
	}
	if spec, ok := Lookup(f.Kind); ok && spec.Refresh != nil {
		return spec.Refresh(f, "--hub-env", file)
	}
	return ""
}

// composeFileArg is " -f FILE" for a compose deployment whose compose
// file is known, so that a docker compose command works from the
// directory the audit ran in.
func (f *Facts) composeFileArg() string {
	if f.Compose == nil || f.Compose.File == "" {
		return ""
	}
	return " -f " + shell.Quote(f.Compose.File)
}
