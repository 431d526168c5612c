package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestKindGolden audits a TLJH tree (TLJH's own jupyterhub_config.py and a
// config.yaml as its docs write one) and a docker compose deployment (after
// jupyterhub-deploy-docker) in every plan format: TLJH gets no HUB105 or
// HUB307 and a plan with TLJH's installer; compose gets the container's
// environment (the Dockerfile's pin, the compose environment's image) and
// an image rebuild.
// paddingRuns are runs of spaces or of a table's horizontal rule.
var paddingRuns = regexp.MustCompile(`  +|──+`)

func TestKindGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{"tljh", []string{"--dir", "testdata/tljh", "--hub-env", "testdata/tljh/hub-freeze.txt"},
			[]string{"tljh.jupyter.org/bootstrap.py | sudo python3 - --version=2.0.0", "http://127.0.0.1:15001/hub/", "journalctl -u jupyterhub"},
			[]string{"HUB105", "HUB307", "upgrade-db -f", "systemctl stop"}},
		{"compose", []string{"--dir", "testdata/compose"},
			[]string{"docker compose -f docker-compose.yml build --build-arg JUPYTERHUB_VERSION=5.5.1 hub", "quay.io/jupyterhub/singleuser:4.1.6", "<cwd>/testdata/compose/data/jupyterhub.sqlite", "http://127.0.0.1:8000/hub/"},
			[]string{"pip install", "/usr/lib/python3"}},
	} {
		for _, format := range []string{"table", "json", "markdown"} {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				args := append([]string{"pre", "--target", "5.5.1", "--format", format}, c.args...)
				// Absolute paths (the compose reader's volumes, a missing
				// default database) make the table's widths depend on where
				// the checkout lives, so tables are laid out unwrapped and
				// compared with runs of padding folded.
				var environ map[string]string
				foldPadding := format == "table"
				if foldPadding {
					environ = map[string]string{"COLUMNS": "1000"}
				}
				_, out, errs := hubaudit(t, environ, args...)
				wd, _ := os.Getwd()
				out = normalize(strings.ReplaceAll(out, wd, "<cwd>"))
				if foldPadding {
					out = paddingRuns.ReplaceAllStringFunc(out, func(r string) string { return r[:len(string([]rune(r)[0]))] })
				}
				checkGolden(t, filepath.Join("testdata", "kind-"+c.name+"."+format+".golden"), out, errs)
				flat := strings.Join(strings.Fields(strings.ReplaceAll(out, "\\\n", "")), " ")
				for _, w := range c.want {
					if format == "json" && !strings.Contains(flat, w) {
						t.Errorf("no %q in the report", w)
					}
				}
				for _, n := range c.not {
					if strings.Contains(out, n) {
						t.Errorf("%q in the report", n)
					}
				}
			})
		}
	}
}
