package config

import (
	"strings"
	"testing"
)

// TestPrelexRewrites pins the exact same-length rewrite of each construct
// the Python 3.4 grammar lacks, and that gpython then parses it.
func TestPrelexRewrites(t *testing.T) {
	cases := []struct{ in, out string }{
		{"x = f'a{b}c'\n", "x = u'a{ }c'\n"},
		{"x = rf'{b}'\n", "x =  r'{ }'\n"},
		{"x = Fr\"{b!r:>{w}}\"\n", "x =  r\"{        }\"\n"},
		{"x = f'{{lit}} {a[\"k\"]}'\n", "x = u'{{lit}} {      }'\n"},
		{"x = f'{x[\"a\"]}'\n", "x = u'{      }'\n"},
		{"x = f'''{a}\n{b}'''\n", "x = u'''{ }\n{ }'''\n"},
		{"async def f():\n    await g()\n", "def       f():\n    not   g()\n"},
		{"async  with a as b: pass\n", "with        a as b: pass\n"},
		{"async for x in y: pass\n", "for       x in y: pass\n"},
		{"x: int = 5\n", "x      = 5\n"},
		{"c.A.b: Dict[str, int] = {}\n", "c.A.b                 = {}\n"},
		{"x: int\n", "x     \n"},
		{"if (n := 3) > 2: pass\n", "if (n == 3) > 2: pass\n"},
		{"d = {**a, 'b': 1}\n", "d = {0:a, 'b': 1}\n"},
		{"l = [*a, *b]\n", "l = [ a,  b]\n"},
		{"f(*a, *b, **c, **d)\n", "f( a,  b,   c,   d)\n"},
		{"def f(*a, **k): pass\n", "def f(*a, **k): pass\n"},
		{"def f(a, **k,): pass\n", "def f(a, **k ): pass\n"},
		{"def f(a, /, b): pass\n", "def f(a   , b): pass\n"},
		{"g = lambda *a, **k: 0\n", "g = lambda *a, **k: 0\n"},
		{"a, *b = x\n", "a, *b = x\n"},
		{"n = 1_000_000\n", "n = 1000000  \n"},
		{"n = 0x_ff\n", "n = 0xff \n"},
		{"x = a * b ** c\n", "x = a * b ** c\n"},
		{"f = lambda x: x\n", "f = lambda x: x\n"},
		{"d = {'a': 1}\n", "d = {'a': 1}\n"},
		{"s = '# not a comment: x'\n", "s = '# not a comment: x'\n"},
	}
	for _, c := range cases {
		if len(c.in) != len(c.out) {
			t.Fatalf("bad case %q: lengths differ", c.in)
		}
		p := prelex([]byte(c.in))
		if got := string(p.src); got != c.out {
			t.Errorf("prelex(%q)\n got  %q\n want %q", c.in, got, c.out)
			continue
		}
		if _, err := safeParse(p.src, "t.py"); err != nil {
			t.Errorf("gpython refuses the rewrite of %q: %v", c.in, err)
		}
	}
}

// TestFStringPython312Nesting: Python 3.12 lets an f-string reuse its quote
// inside a replacement field.
func TestFStringPython312Nesting(t *testing.T) {
	src := "c.Spawner.cmd = f\"{'a' + \"b\"}\"\nc.JupyterHub.port = 1\n"
	f := AnalyzeSource("x.py", []byte(src))
	if len(f.ParseErrors) != 0 || len(f.Assignments) != 2 || f.Assignments[0].ValueKind != "fstring" || f.Assignments[1].Line != 2 {
		t.Fatalf("%+v %+v", f.ParseErrors, f.Assignments)
	}
}

// TestColumnsAreBytes: columns count UTF-8 bytes, like CPython's
// col_offset, plus one.
func TestColumnsAreBytes(t *testing.T) {
	f := AnalyzeSource("x.py", []byte("é = 1; c.A.b = 'ü'\n\tc.A.d = 2\n"))
	if len(f.Assignments) != 1 || f.Assignments[0].Column != 9 {
		t.Fatalf("%+v %+v", f.Assignments, f.ParseErrors)
	}
	if !strings.Contains(f.ParseErrors[0].Reason, "indentation") {
		t.Fatalf("%+v", f.ParseErrors)
	}
}
