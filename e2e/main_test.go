package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// hubauditBin is the hubaudit binary built once by TestMain ("" when the
// CLI package does not exist yet or the build failed: buildErr says why).
var (
	hubauditBin string
	buildErr    error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hubaudit-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	hubauditBin, buildErr = buildHubaudit(dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildHubaudit builds ./cmd/hubaudit into dir (HUBAUDIT_E2E_BIN names a
// binary built elsewhere instead).
func buildHubaudit(dir string) (string, error) {
	if bin := os.Getenv("HUBAUDIT_E2E_BIN"); bin != "" {
		return bin, nil
	}
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "hubaudit")); err != nil {
		return "", fmt.Errorf("the CLI package ./cmd/hubaudit does not exist yet")
	}
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goCmd); err != nil {
		goCmd = "go"
	}
	bin := filepath.Join(dir, "hubaudit")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "build", "-o", bin, "./cmd/hubaudit")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/hubaudit: %v\n%s", err, out)
	}
	return bin, nil
}

// statSources stats every file the hubaudit binary is built from (Go
// sources, go.mod, go.sum, the embedded knowledge base). go test records
// the files a test looks at and reruns it when one changes; without this
// a cached e2e result would survive a change of the CLI, which this
// package does not import. It must run inside a test (go test logs file
// accesses from m.Run on, not in TestMain before it).
func statSources(root string) {
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") || name == "go.mod" || name == "go.sum" ||
			filepath.Base(filepath.Dir(path)) == "data" {
			_, _ = os.Stat(path)
		}
		return nil
	})
}

var statOnce sync.Once

// requireCLI returns the hubaudit binary or stops the test: skipped while
// the CLI does not exist locally, failed in CI.
func requireCLI(t *testing.T) string {
	t.Helper()
	statOnce.Do(func() {
		if root, err := filepath.Abs(".."); err == nil {
			statSources(root)
		}
	})
	if buildErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("e2e: %v", buildErr)
		}
		Shout("SKIPPING the hubaudit CLI part: %v", buildErr)
		t.Skipf("SKIPPED LOUDLY: %v", buildErr)
	}
	return hubauditBin
}

// result is a run of the hubaudit binary.
type result struct {
	args   []string
	code   int
	stdout []byte
	stderr []byte
	report map[string]any
}

// runHubaudit runs the binary with args and extra environment and decodes
// a JSON report from stdout when there is one.
func runHubaudit(t *testing.T, bin string, env []string, args ...string) *result {
	t.Helper()
	return runHubauditIn(t, bin, "", env, args...)
}

// runHubauditIn is runHubaudit in working directory dir ("" for the
// test's).
func runHubauditIn(t *testing.T, bin, dir string, env []string, args ...string) *result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := &result{args: args, stdout: stdout.Bytes(), stderr: stderr.Bytes()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("hubaudit %v: %v", args, err)
		}
		r.code = ee.ExitCode()
	}
	if dump := os.Getenv("HUBAUDIT_E2E_DUMP"); dump != "" {
		name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + "-" + args[0]
		for i := 0; ; i++ {
			p := filepath.Join(dump, fmt.Sprintf("%s-%d.out", name, i))
			if _, err := os.Stat(p); err != nil {
				_ = os.WriteFile(p, append(append([]byte(strings.Join(args, " ")+"\n"), r.stdout...), r.stderr...), 0o644)
				break
			}
		}
	}
	if bytes.HasPrefix(bytes.TrimSpace(r.stdout), []byte("{")) {
		if err := json.Unmarshal(r.stdout, &r.report); err != nil {
			t.Fatalf("hubaudit %v: stdout is not JSON: %v\n%s", args, err, r.stdout)
		}
	}
	return r
}
