package e2e

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/hubaudit/hubaudit/checks/hub"
)

// BenchmarkRealHubProbe measures one full probe (api/, health, users and
// groups with a token) of the real hub.
func BenchmarkRealHubProbe(b *testing.B) {
	tools := RequireTools(b)
	d, token := populate(b, tools, "")
	defer d.Stop(b)
	opts := hub.Options{URL: d.URL(), Token: token}
	for b.Loop() {
		f, err := hub.Collect(context.Background(), opts)
		if err != nil || f.Users == nil {
			b.Fatalf("probe: %v %+v", err, f)
		}
	}
}

// BenchmarkPreRealDeployment runs the hubaudit binary's full `pre` audit of
// the e2e deployment (config, SQLite DB of a real hub, the hub env /usr,
// the hub log), as a subprocess, like an admin does.
func BenchmarkPreRealDeployment(b *testing.B) {
	tools := RequireTools(b)
	if buildErr != nil {
		b.Skip(buildErr)
	}
	d, _ := populate(b, tools, "")
	d.Stop(b)
	args := []string{"pre", "--target", "5.5.1", "--dir", d.Dir, "--hub-env", "/usr", "--log", d.Log, "--format", "json"}
	for b.Loop() {
		cmd := exec.Command(hubauditBin, args...)
		cmd.Stdout, cmd.Stderr = nil, nil
		if err := cmd.Run(); err != nil {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 1 {
				b.Fatalf("hubaudit pre: %v", err)
			}
		}
	}
}

// BenchmarkJupyterHubVersion is the yardstick: `jupyterhub --version` from
// the Debian package, which only imports JupyterHub and prints its version.
func BenchmarkJupyterHubVersion(b *testing.B) {
	tools := RequireTools(b)
	for b.Loop() {
		cmd := exec.Command(tools.JupyterHub, "--version")
		cmd.Env = os.Environ()
		if out, err := cmd.Output(); err != nil || len(out) == 0 {
			b.Fatalf("jupyterhub --version: %v", err)
		}
	}
}
