package audit

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// chartPrefix marks a --target that names a Zero to JupyterHub chart
// release rather than a JupyterHub release.
const chartPrefix = "chart:"

// resolveTarget resolves --target: a JupyterHub release or the package
// of one (resolveRelease; the knowledge base returned may have learned
// it), or with the chart: prefix a chart release, which stands for the
// JupyterHub its hub image pins.
func resolveTarget(k *kb.KB, spec string) (*kb.KB, *kb.Release, *kb.Chart, error) {
	rest, isChart := strings.CutPrefix(strings.TrimSpace(spec), chartPrefix)
	if !isChart {
		nk, t, err := resolveRelease(k, spec)
		return nk, t, nil, err
	}
	ch, err := kb.ResolveChart(rest)
	if err != nil {
		return nil, nil, nil, &UsageError{Msg: "--target " + spec + ": " + err.Error(), Hint: "known chart versions: " + strings.Join(kb.ChartVersions(), ", ") + " (or a line such as chart:4.3, or chart:latest)"}
	}
	t, ok := k.ReleaseFor(ch.JupyterHub)
	if !ok || t.Version.Compare(ch.JupyterHub) != 0 {
		return nil, nil, nil, &UsageError{Msg: fmt.Sprintf("--target %s: chart %s ships jupyterhub %s, which the knowledge base does not know", spec, ch.Version, ch.JupyterHub)}
	}
	return k, t, ch, nil
}

// currentChart finds the chart release installed now: --chart-version
// (a version, or a file with `helm list -o json` output), else the hub
// image that computed values (helm get values --all) name.
func currentChart(opts Options, cf *config.Facts) (*kb.Chart, string, *helmRelease, error) {
	if s := strings.TrimSpace(opts.ChartVersion); s != "" {
		if st, err := os.Stat(s); err == nil && !st.IsDir() {
			return chartFromHelmList(s)
		}
		ch, err := kb.ResolveChart(s)
		if err != nil {
			return nil, "", nil, usagef("known chart versions: "+strings.Join(kb.ChartVersions(), ", "), "--chart-version %s: %v", s, err)
		}
		return ch, "--chart-version", nil, nil
	}
	if cf != nil {
		for _, c := range cf.Charts {
			if ch, ok := kb.ChartOfHubImage(c.HubImage); ok {
				return ch, fmt.Sprintf("hub.image %s in %s", c.HubImage, relPath(opts.Dir, c.File)), nil, nil
			}
		}
		// Values that pin the chart's own single-user sample image (the
		// chart's docs show that image with the chart's version as tag)
		// most likely run that chart; weaker evidence, and said so.
		for _, c := range cf.Charts {
			su, _ := c.Values["singleuser"].(map[string]any)
			im, _ := su["image"].(map[string]any)
			name, _ := im["name"].(string)
			tag := fmt.Sprint(im["tag"])
			if name == "" || im["tag"] == nil {
				continue
			}
			if ch, ok := kb.ChartOfSingleuserImage(name + ":" + tag); ok {
				return ch, fmt.Sprintf("singleuser.image %s:%s in %s, the chart's sample image of that release (pass --chart-version if the release runs another chart)", name, tag, relPath(opts.Dir, c.File)), nil, nil
			}
		}
	}
	return nil, "", nil, nil
}

// helmRelease is one entry of `helm list -o json`.
type helmRelease struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Chart     string `json:"chart"`
}

// chartFromHelmList reads `helm list -o json` output: the jupyterhub
// chart's release ("chart": "jupyterhub-3.3.8").
func chartFromHelmList(path string) (*kb.Chart, string, *helmRelease, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", nil, usagef("", "--chart-version %s: %v", path, unwrapPath(err))
	}
	var rels []helmRelease
	if err := json.Unmarshal(b, &rels); err != nil {
		return nil, "", nil, usagef("write it with: helm list -o json > helm-list.json", "--chart-version %s: not the output of helm list -o json: %v", path, err)
	}
	var found []string
	for _, r := range rels {
		v, ok := strings.CutPrefix(r.Chart, "jupyterhub-")
		if !ok {
			continue
		}
		found = append(found, r.Name)
		if ch, err := kb.ResolveChart(v); err == nil && ch.Version == v {
			return ch, fmt.Sprintf("helm list (release %s)", r.Name), &r, nil
		}
		return nil, "", nil, usagef("known chart versions: "+strings.Join(kb.ChartVersions(), ", "), "--chart-version %s: release %s runs chart jupyterhub %s, which the knowledge base does not know", path, r.Name, v)
	}
	return nil, "", nil, usagef("list the release's namespace: helm list -n NAMESPACE -o json", "--chart-version %s: no release of the jupyterhub chart in it", path)
}

// applyCharts records the chart releases of the audit and, with a chart
// target, makes the target chart's hub image the hub environment the
// rules judge (its pinned packages are what runs after helm upgrade);
// the running version comes from the current chart when nothing else
// said it.
func applyCharts(in *rules.Input, cur *kb.Chart, curFrom string, rel *helmRelease, target *kb.Chart, localDB string) {
	if cur == nil && target == nil {
		// No chart release is known, but a values file's plan
		// variables (the database type, the values file) still are.
		if in.Deployment != nil && in.Deployment.Kind == deploy.Z2JH {
			in.Deployment.Chart = (&rules.Charts{}).PlanVars(in.Config, localDB)
			chartUpgradesDB(in.Deployment)
		}
		return
	}
	charts := &rules.Charts{Current: cur, CurrentFrom: curFrom, Target: target}
	if rel != nil {
		charts.Release, charts.Namespace = rel.Name, rel.Namespace
	}
	in.Extra[rules.ExtraCharts] = charts
	if in.Deployment != nil {
		in.Deployment.Chart = charts.PlanVars(in.Config, localDB)
		chartUpgradesDB(in.Deployment)
	}
	// The chart's hub runs in its image: a jupyterhub found on this
	// machine's PATH is not the hub's.
	if in.Env != nil {
		var envs []env.Environment
		dropped := false
		for _, e := range in.Env.Environments {
			if e.Role == "hub" && e.Found == "path" {
				dropped = true
				continue
			}
			envs = append(envs, e)
		}
		if dropped {
			in.Env.Environments = envs
			if strings.HasPrefix(in.CurrentFrom, "hub environment ") {
				in.Current, in.CurrentFrom = pep440.Version{}, ""
				detectCurrent(in)
			}
		}
	}
	if in.Current.IsZero() && cur != nil {
		in.Current = cur.JupyterHub
		in.CurrentFrom = fmt.Sprintf("chart %s, from %s", cur.Version, curFrom)
	}
	if target == nil || in.Mode != rules.ModePre {
		return
	}
	img := target.Images()["hub.image"]
	hub := env.Environment{Role: "hub", Path: fmt.Sprintf("%s (chart %s's hub image)", img, target.Version), Kind: env.KindRequirements,
		Found: env.FoundChart, Packages: target.HubPins()}
	if in.Env == nil {
		in.Env = &env.Facts{}
		in.States[rules.SourceEnv] = rules.SourceState{Status: "ok"}
	}
	envs := []env.Environment{hub}
	for _, e := range in.Env.Environments {
		if e.Role != "hub" {
			envs = append(envs, e)
		}
	}
	in.Env.Environments = envs
}

// localSQLite is the SQLite file the audit read its database from, as a
// path relative to the working directory when it is inside it (the
// printed commands run there), "" when the database is not a SQLite file.
func (col collected) localSQLite() string {
	raw := col.dbOpts.URL
	if raw == "" {
		raw = "sqlite:///jupyterhub.sqlite" // the collector's default, in --dir
	}
	u, err := db.ParseURL(raw)
	if err != nil || u.Dialect != "sqlite" {
		return ""
	}
	p := u.SQLitePath(col.dbOpts.Dir)
	if p == "" {
		return ""
	}
	return cwdRel(p)
}

// cwdRel is p relative to the working directory when it is inside it
// ("./NAME" for a file there), else p.
func cwdRel(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	r, err := filepath.Rel(wd, abs)
	if err != nil || r == ".." || strings.HasPrefix(r, "../") {
		return p
	}
	if !strings.Contains(r, "/") {
		r = "./" + r
	}
	return r
}

// chartUpgradesDB records that the chart's hub runs upgrade-db itself
// (hub.db.type sqlite-pvc, or hub.db.upgrade: true), from the plan
// variables.
func chartUpgradesDB(d *deploy.Facts) {
	if d.Chart["db_auto_upgrade"] == "yes" {
		d.HubUpgradesDB = "the chart starts the hub with --upgrade-db (hub.db.type sqlite-pvc or hub.db.upgrade: true)"
	}
}
