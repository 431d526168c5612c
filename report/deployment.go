package report

import (
	"fmt"
	"strings"
)

// deploymentLine summarizes the deployment model for the table and
// Markdown headers: the kind and why, the hub URL, proxy, spawner and
// database.
func deploymentLine(r *Report) string {
	d := r.Facts.Deployment
	if d == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s", d.Kind, d.Title)
	switch {
	case d.From == "flag":
		b.WriteString(", from --kind")
	case len(d.Evidence) > 0:
		b.WriteString(", " + d.Evidence[0])
	}
	b.WriteString(")")
	if p := d.Python; p != nil && p.Kind != d.Kind {
		fmt.Fprintf(&b, "; python %s %s", p.Kind, p.Prefix)
	}
	proxy := "managed by the hub"
	if !d.Config.ProxyManaged {
		proxy = "runs outside the hub"
	}
	fmt.Fprintf(&b, "; hub %s; proxy %s %s; spawner %s; db %s", d.Config.HubURL, d.Config.ProxyClass, proxy, d.Config.Spawner, d.Config.DB)
	if d.Config.DBHostPath != "" {
		fmt.Fprintf(&b, " (on this machine %s)", d.Config.DBHostPath)
	}
	return b.String()
}
