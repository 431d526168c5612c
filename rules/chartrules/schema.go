package chartrules

import (
	"fmt"
	"strings"

	"github.com/hubaudit/hubaudit/internal/textdist"
	"github.com/hubaudit/hubaudit/rules"
)

// UnknownChartKey checks the keys of Zero to JupyterHub values against
// the chart release's values.schema.yaml.
var UnknownChartKey = &rules.Rule{
	ID: "HUB140", Name: "chart-key-unknown", Severity: rules.Error, Source: rules.SourceConfig, Needs: cfg,
	Title: "a Zero to JupyterHub values key that the chart's values.schema.yaml does not take",
	Doc: "The Zero to JupyterHub chart ships a JSON schema of its values (values.schema.yaml, from chart 3.0.0), " +
		"and helm validates the values against it before it renders anything: a key the schema does not " +
		"take (`singleuser.imagee`) makes `helm upgrade` fail, and before 3.0.0 it was silently ignored. " +
		"hubaudit checks every key of the chart's values (wherever the chart sits in the file: under " +
		"`jupyterhub:` in BinderHub and DaskHub values, `basehub: jupyterhub:`) against the schema of the " +
		"target chart release (`--target chart:X`), else the installed one (`--chart-version`), else the " +
		"newest it knows (then a warning), and suggests the nearest key the schema takes. Keys under " +
		"free-form settings (`hub.config`, `hub.extraConfig`, `extraEnv`, ...) are not judged beyond what the " +
		"schema says of them (from 4.3.0 `hub.config` takes only capitalised class names).\n\n" +
		"Fix: correct the key, or remove it.",
	Run: func(p *rules.Pass) error {
		ch, latest := schemaChart(p)
		if ch == nil || !ch.HasSchema() {
			return nil
		}
		for _, cv := range p.Config.Charts {
			schemaKey := make([]string, len(cv.Keys))
			for i, k := range cv.Keys {
				parent := "."
				if k.Parent >= 0 {
					if parent = schemaKey[k.Parent]; parent == "" {
						continue // under an unknown or unjudged key
					}
				}
				sk, ok, known := ch.SchemaChild(parent, k.Name)
				if !known {
					continue
				}
				if ok {
					schemaKey[i] = sk
					continue
				}
				where := "chart " + ch.Version
				if latest {
					where += ", the newest known release: pass --chart-version or --target chart:VERSION"
				}
				msg := fmt.Sprintf("%s is not a key of the Zero to JupyterHub chart's values (values.schema.yaml of %s): helm refuses these values", fullKey(cv, k.Key), where)
				f := rules.Finding{Location: rules.Location{File: cv.File, Line: k.Line, Column: k.Column, Subject: "chart-key:" + fullKey(cv, k.Key)}}
				if near := textdist.Closest(k.Name, ch.SchemaChildren(parent)); len(near) > 0 {
					base := strings.TrimSuffix(fullKey(cv, k.Key), k.Name)
					msg += fmt.Sprintf("; did you mean %s%s?", base, near[0])
					f.Fix = &rules.Fix{Description: fmt.Sprintf("rename %s to %s%s", k.Name, base, near[0])}
				}
				f.Message = msg
				if latest {
					f.Severity = rules.Warning
				}
				p.Report(f)
			}
		}
		return nil
	},
}
