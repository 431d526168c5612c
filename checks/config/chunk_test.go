package config

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// bigConfig builds a config of about n lines with every top-level shape a
// cut could fall next to: compound statements with else/elif/except/finally
// at column 0, decorators, backslash continuations, brackets spanning lines,
// triple-quoted strings, f-strings, and, when broken, syntax errors.
func bigChunkedConfig(n int, broken bool) string {
	var b strings.Builder
	b.WriteString("c = get_config()  # noqa\nimport os\n")
	for i := 0; b.Len() < n*40; i++ {
		switch i % 9 {
		case 0:
			fmt.Fprintf(&b, "c.Spawner.environment[\"K%d\"] = f\"v{%d}\"\n", i, i)
		case 1:
			fmt.Fprintf(&b, "if os.environ.get(\"X%d\"):\n    c.JupyterHub.log_level = \"DEBUG\"\nelif False:\n    pass\nelse:\n    c.Spawner.mem_limit = \"%dG\"\n", i, i%8+1)
		case 2:
			fmt.Fprintf(&b, "try:\n    import mod%d\nexcept ImportError:\n    pass\nfinally:\n    c.Authenticator.admin_users.add(\"u%d\")\n", i, i)
		case 3:
			fmt.Fprintf(&b, "@decorator\ndef hook%d(spawner):\n    return spawner\n", i)
		case 4:
			fmt.Fprintf(&b, "c.JupyterHub.services = [\n    {\n        \"name\": \"s%d\",\n        \"command\": [\"x\"],\n    }\n]\n", i)
		case 5:
			fmt.Fprintf(&b, "c.Spawner.args = \\\n    [\"--arg%d\"]\n", i)
		case 6:
			fmt.Fprintf(&b, "DOC%d = \"\"\"\nc.Not.a_trait = 1\n\"\"\"\n", i)
		case 7:
			if broken && i%900 == 7 {
				fmt.Fprintf(&b, "c.Spawner.cmd = [\"jupyterhub-singleuser\"\n")
			} else {
				fmt.Fprintf(&b, "c.Spawner.cmd = [\"jupyterhub-singleuser\", \"--x=%d\"]\n", i)
			}
		case 8:
			if broken && i%1000 == 8 {
				b.WriteString("c.JupyterHub.bind_url = = 'x'\n")
			} else {
				fmt.Fprintf(&b, "c.JupyterHub.concurrent_spawn_limit = %d\n", i)
			}
		}
	}
	return b.String()
}

// TestChunkedParseEqualsWhole: a large config parsed in chunks on several
// cores gives exactly the facts of parsing it whole, with and without
// syntax errors.
func TestChunkedParseEqualsWhole(t *testing.T) {
	for _, broken := range []bool{false, true} {
		src := []byte(bigChunkedConfig(8000, broken))
		if n := strings.Count(string(src), "\n"); n < 2*chunkLines*2 {
			t.Fatalf("test config has only %d lines", n)
		}
		prev := runtime.GOMAXPROCS(4)
		chunked := AnalyzeSource("big.py", src)
		runtime.GOMAXPROCS(1)
		whole := AnalyzeSource("big.py", src)
		runtime.GOMAXPROCS(prev)
		a, _ := json.Marshal(chunked)
		b, _ := json.Marshal(whole)
		if string(a) != string(b) {
			t.Errorf("broken=%v: chunked facts differ from whole-file facts (%d vs %d assignments, %d vs %d errors)",
				broken, len(chunked.Assignments), len(whole.Assignments), len(chunked.ParseErrors), len(whole.ParseErrors))
		}
		if len(whole.Assignments) < 1000 || (broken != (len(whole.ParseErrors) > 0)) {
			t.Errorf("broken=%v: %d assignments, %d errors", broken, len(whole.Assignments), len(whole.ParseErrors))
		}
	}
}

// TestChunkCutsAreSafe puts long runs of lines that look like statement
// starts but are not (elif/else/except clauses at column 0, lines after a
// backslash continuation) where the cuts would fall, and checks that the
// chunked parse still equals the whole-file parse.
func TestChunkCutsAreSafe(t *testing.T) {
	var b strings.Builder
	b.WriteString("c = get_config()  # noqa\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, "c.Spawner.environment[\"A%d\"] = \"%d\"\n", i, i)
	}
	b.WriteString("if a == 0:\n    c.Spawner.mem_limit = \"0G\"\n")
	for i := 1; i < 1500; i++ {
		fmt.Fprintf(&b, "elif a == %d:\n    c.Spawner.mem_limit = \"%dG\"\n", i, i)
	}
	b.WriteString("else:\n    pass\ntry:\n    pass\n")
	for i := 0; i < 700; i++ {
		fmt.Fprintf(&b, "except E%d:\n    c.Spawner.args = [\"%d\"]\n", i, i)
	}
	b.WriteString("finally:\n    pass\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, "c.JupyterHub.concurrent_spawn_limit = 1 + \\\n%d\nc.Spawner.args = [\"%d\"]\n", i, i)
	}
	src := []byte(b.String())
	prev := runtime.GOMAXPROCS(8)
	defer runtime.GOMAXPROCS(prev)
	pl := prelex(src)
	lines := strings.Count(string(src), "\n") + 1
	cuts := chunkCuts(pl, lines, 8)
	if len(cuts) < 2 {
		t.Fatalf("cuts %v: the test file should be cut", cuts)
	}
	chunked := AnalyzeSource("cuts.py", src)
	runtime.GOMAXPROCS(1)
	whole := AnalyzeSource("cuts.py", src)
	a, _ := json.Marshal(chunked)
	w, _ := json.Marshal(whole)
	if string(a) != string(w) || len(whole.ParseErrors) != 0 {
		t.Errorf("cuts %v: chunked parse differs from the whole file (%d vs %d assignments, errors %v / %v)",
			cuts, len(chunked.Assignments), len(whole.Assignments), chunked.ParseErrors, whole.ParseErrors)
	}
}
