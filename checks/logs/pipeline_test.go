package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/kb"
)

// serial feeds every line to scanner.add, the reference the parallel
// pipeline must reproduce.
func serial(t *testing.T, data []byte, opts Options) *Facts {
	t.Helper()
	f := &Facts{Files: []string{"x"}, Events: []*Event{}, SinceLastStart: opts.SinceLastStart}
	s := newScanner(matcherFor(opts.KB), f)
	s.sinceLastStart = opts.SinceLastStart
	s.startFile("x")
	lines := bytes.Split(data, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	for _, ln := range lines {
		if len(ln) > maxLine {
			s.add(ln[:maxLine])
			s.longLine()
			s.facts.Bytes += int64(len(ln) - maxLine)
			continue
		}
		s.add(ln)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		s.facts.Bytes-- // no newline after the last line
	}
	s.endFile()
	f.Events = append(f.Events, s.order...)
	return f
}

// TestPipelineMatchesSerial runs every testdata log (and all of them
// concatenated) through the parallel pipeline with tiny blocks, so that
// records straddle blocks and lines exceed them, and compares the facts
// with the serial reference.
func TestPipelineMatchesSerial(t *testing.T) {
	oldBlock, oldMax := blockSize, maxLine
	defer func() { blockSize, maxLine = oldBlock, oldMax }()
	var all []byte
	var inputs [][]byte
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "logs", "*", "*"))
	real, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "fixtures", "logs", "*.log"))
	for _, p := range append(files, real...) {
		if strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".md") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, b)
		all = append(all, b...)
	}
	inputs = append(inputs, all)
	k := kb.MustLoad()
	dir := t.TempDir()
	oldMin := mapMin
	defer func() { mapMin = oldMin }()
	for _, bs := range []int{300, 1000, 4096} {
		blockSize, maxLine = bs, 200
		for i, in := range inputs {
			path := filepath.Join(dir, "in.log")
			if err := os.WriteFile(path, in, 0o644); err != nil {
				t.Fatal(err)
			}
			// Read from a stream, and from a file mapped window by window.
			for _, src := range []string{"stdin", "mapped"} {
				for _, post := range []bool{false, true} {
					opts := Options{KB: k, Paths: []string{"-"}, Stdin: bytes.NewReader(in), SinceLastStart: post}
					if src == "mapped" {
						opts = Options{KB: k, Paths: []string{path}, SinceLastStart: post}
						mapMin = 0
					}
					got, err := Collect(context.Background(), opts)
					mapMin = oldMin
					if err != nil {
						t.Fatal(err)
					}
					got.Files = []string{"x"}
					for _, e := range got.Events {
						e.First.File, e.Last.File = "x", "x"
					}
					for j := range got.Problems {
						got.Problems[j].File = "x"
						got.Problems[j].Detail = strings.ReplaceAll(strings.ReplaceAll(got.Problems[j].Detail, "<stdin>", "x"), path, "x")
					}
					for j := range got.Starts {
						got.Starts[j].File = "x"
					}
					want := serial(t, in, opts)
					gb, _ := json.Marshal(got)
					wb, _ := json.Marshal(want)
					if !bytes.Equal(gb, wb) {
						t.Fatalf("%s block %d input %d post %v:\n got  %s\n want %s", src, bs, i, post, gb, wb)
					}
				}
			}
		}
	}
}

// FuzzPipeline checks that the parallel pipeline and the serial scan agree
// on arbitrary input, with blocks small enough to cut records and lines.
func FuzzPipeline(f *testing.F) {
	f.Add([]byte("[I 2024-01-01 10:00:00.000 JupyterHub app:1] Running JupyterHub version 5.5.1\n[E 2024-01-01 10:00:01.000 JupyterHub app:2] x\n    Traceback (most recent call last):\n      File \"a.py\", line 1, in f\n    KeyError: 'k'\n"))
	f.Add([]byte("Found database schema version a != b. Backup your database and run `jupyterhub upgrade-db` to upgrade to the latest schema.\n\x00\x01\n"))
	k := kb.MustLoad()
	f.Fuzz(func(t *testing.T, in []byte) {
		if bytes.HasPrefix(in, []byte{0x1f, 0x8b}) {
			t.Skip("gzip input: the serial reference reads plain text only")
		}
		oldBlock, oldMax := blockSize, maxLine
		defer func() { blockSize, maxLine = oldBlock, oldMax }()
		blockSize, maxLine = 64, 40
		opts := Options{KB: k, Paths: []string{"-"}, Stdin: bytes.NewReader(in), SinceLastStart: len(in)%2 == 0}
		got, err := Collect(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		want := serial(t, in, opts)
		if got.Lines != want.Lines || got.Records != want.Records || got.Bytes != want.Bytes || len(got.Events) != len(want.Events) {
			t.Fatalf("pipeline lines %d records %d bytes %d events %d; serial %d %d %d %d",
				got.Lines, got.Records, got.Bytes, len(got.Events), want.Lines, want.Records, want.Bytes, len(want.Events))
		}
		// The same input as a file scanned in place.
		path := filepath.Join(t.TempDir(), "in.log")
		if err := os.WriteFile(path, in, 0o644); err != nil {
			t.Fatal(err)
		}
		oldMin := mapMin
		defer func() { mapMin = oldMin }()
		mapMin = 0
		mapped, err := Collect(context.Background(), Options{KB: k, Paths: []string{path}, SinceLastStart: opts.SinceLastStart})
		if len(in) == 0 {
			return // an empty file is not a log: Collect refuses it
		}
		if err != nil {
			t.Fatal(err)
		}
		if mapped.Lines != want.Lines || mapped.Records != want.Records || mapped.Bytes != want.Bytes || len(mapped.Events) != len(want.Events) {
			t.Fatalf("mapped lines %d records %d bytes %d events %d; serial %d %d %d %d",
				mapped.Lines, mapped.Records, mapped.Bytes, len(mapped.Events), want.Lines, want.Records, want.Bytes, len(want.Events))
		}
	})
}

// TestMatchMemo checks that remembering matches changes nothing: every
// testdata log, repeated so that its records recur, gives the same facts
// with the memo and without it.
func TestMatchMemo(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "logs", "*", "*.log"))
	if len(files) < 5 {
		t.Fatalf("only %d testdata logs", len(files))
	}
	k := kb.MustLoad()
	old := maxMemo
	defer func() { maxMemo = old }()
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		in := bytes.Repeat(b, 3)
		var out [2][]byte
		for i, memo := range []int{old, 0} {
			maxMemo = memo
			f, err := Collect(context.Background(), Options{KB: k, Paths: []string{"-"}, Stdin: bytes.NewReader(in)})
			if err != nil {
				t.Fatal(err)
			}
			out[i], _ = json.Marshal(f)
		}
		if !bytes.Equal(out[0], out[1]) {
			t.Errorf("%s: the memo changed the facts:\n with    %s\n without %s", p, out[0], out[1])
		}
	}
}
