package audit

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// kindPlan applies the deployment kind's steps (deploy.Spec) to the
// generic plan.
type kindPlan struct {
	spec   *deploy.Spec
	params *deploy.Params
}

func newKindPlan(in *rules.Input, target string, given deploy.Given) *kindPlan {
	kp := &kindPlan{params: &deploy.Params{Target: target, ConfigFile: "jupyterhub_config.py", Vars: map[string]string{}, Given: given}}
	f := in.Deployment
	if f == nil {
		f = &deploy.Facts{Kind: deploy.Unknown}
	}
	kp.params.Facts = f
	kp.spec, _ = deploy.Lookup(f.Kind)
	if in.Config != nil {
		for _, c := range in.Config.Files {
			if strings.HasSuffix(c, ".py") {
				kp.params.ConfigFile = c
				break
			}
		}
	}
	if hub := in.Env.Hub(); hub != nil {
		kp.params.HubEnv = hub.Path
		pkgs := envPackages(in.KB, *hub, target)
		kp.params.Packages = strings.Join(pkgs, " ")
		kp.params.CondaPackages = strings.Join(condaPackages(pkgs), " ")
		if hub.Kind == env.KindPrefix {
			kp.params.Prefix = filepath.Clean(hub.Path)
			kp.params.Python = filepath.Join(kp.params.Prefix, "bin", "python")
		}
	} else {
		kp.params.Packages = fmt.Sprintf("'jupyterhub==%s'", target)
		kp.params.CondaPackages = "jupyterhub=" + target
	}
	kp.params.Unit = f.Log.Unit
	kp.params.Post = f.PostCommand(target, given)
	if kp.spec != nil && kp.spec.Vars != nil {
		kp.params.Vars = kp.spec.Vars(f, target)
	}
	// The baseline is the audit that printed the plan: a chart target
	// stays one (its hub image is the hub environment judged).
	preTarget := target
	if a := kp.params.Vars["target_arg"]; a != "" {
		preTarget = a
	}
	kp.params.Pre = deploy.PreCommand(preTarget, given)
	return kp
}

type extraStep struct {
	id deploy.StepID
	r  deploy.Rendered
}

// extraBefore returns the kind's own steps that go before step id.
func (kp *kindPlan) extraBefore(id deploy.StepID) []extraStep {
	if kp.spec == nil {
		return nil
	}
	rs, ids, err := kp.spec.ExtraBefore(id, kp.params)
	if err != nil {
		return []extraStep{{id: "kind-step", r: deploy.Rendered{Title: "(a step of this deployment kind could not be filled in)", Detail: err.Error()}}}
	}
	out := make([]extraStep, len(rs))
	for i := range rs {
		out[i] = extraStep{ids[i], rs[i]}
	}
	return out
}

// override applies the kind's version of a generic step; keep is false
// when the kind omits it.
func (kp *kindPlan) override(id deploy.StepID, title, detail string, cmds []string) (string, string, []string, bool) {
	if kp.spec == nil {
		return title, detail, cmds, true
	}
	r, ok, err := kp.spec.StepFor(id, kp.params)
	if err != nil {
		return title, detail + "\nhubaudit could not fill in this kind's step: " + err.Error(), cmds, true
	}
	if !ok {
		return title, detail, cmds, true
	}
	if r.Omit {
		return "", "", nil, false
	}
	if r.Title != "" {
		title = r.Title
	}
	switch {
	case r.Detail == "":
	case r.AppendDetail && detail != "":
		detail += "\n" + r.Detail
	default:
		if detail != "" && id == deploy.StepPackages {
			detail = r.Detail + "\n" + detail // keep the per-environment lines
		} else {
			detail = r.Detail
		}
	}
	if r.Commands != nil {
		cmds = r.Commands
	}
	return title, detail, cmds, true
}

// install returns the kind's install commands for an environment (ok
// false: the generic command).
func (kp *kindPlan) install(e env.Environment) ([]string, bool) {
	if kp.spec == nil {
		return nil, false
	}
	r, ok, err := kp.spec.StepFor(deploy.StepPackages, kp.params)
	if err != nil || !ok {
		return nil, false
	}
	if e.Role == env.RoleHub && r.HubInstall != nil {
		return r.HubInstall, true
	}
	if e.Role == env.RoleUser && r.UserInstall != nil {
		return r.UserInstall, true
	}
	return nil, false
}

// installsElsewhere is true when the kind's packages step installs the
// hub without an environment having been read (an installer, a rebuild).
func (kp *kindPlan) installsElsewhere() bool {
	if kp.spec == nil {
		return false
	}
	r, ok, err := kp.spec.StepFor(deploy.StepPackages, kp.params)
	return err == nil && ok && len(r.HubInstall) > 0
}

// envPackages are the pip requirements that move an environment to the
// target: jupyterhub pinned, then the companions it has.
func envPackages(k *kb.KB, e env.Environment, target string) []string {
	pkgs := []string{fmt.Sprintf("'jupyterhub==%s'", target)}
	for _, c := range companionPackages(k) {
		if _, ok := e.Packages[c]; ok {
			pkgs = append(pkgs, c)
		}
	}
	return pkgs
}

// condaPackages spells pip requirements the way conda install takes them.
func condaPackages(pkgs []string) []string {
	out := make([]string, len(pkgs))
	for i, p := range pkgs {
		out[i] = strings.Trim(strings.Replace(p, "==", "=", 1), "'")
	}
	return out
}
