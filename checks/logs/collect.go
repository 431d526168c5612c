package logs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/hubaudit/hubaudit/checks"
	"github.com/hubaudit/hubaudit/kb"
)

// Options says which logs to read and how.
type Options struct {
	// Paths are files, globs, directories, or "-" for Stdin. Rotated
	// files (hub.log.1, hub.log.2.gz) are read oldest first; gzip is
	// recognised by its magic bytes, not by the name.
	Paths []string
	Stdin io.Reader
	// Since drops records older than this time (zero: no lower bound).
	Since time.Time
	// SinceLastStart keeps only the records after the last hub start
	// (post mode).
	SinceLastStart bool
	// Progress, when non-nil (a terminal), receives a progress line for
	// inputs larger than ProgressThreshold.
	Progress io.Writer
	// KB supplies the message patterns.
	KB *kb.KB

	// MaxGzipRatio caps how much a gzip stream may expand (decompressed
	// bytes per compressed byte, checked once 16 MiB were produced);
	// 0 means 500. Beyond it the file is reported and not read further.
	MaxGzipRatio int64
	// ProgressThreshold is the input size from which progress is shown;
	// 0 means 256 MiB.
	ProgressThreshold int64
}

// input is one stream to read.
type input struct {
	name string // as shown in facts and findings
	path string // "" for stdin
	size int64
}

// rotation splits "hub.log.2.gz" into ("hub.log", 2); "hub.log" is 0.
func rotation(name string) (string, int) {
	base := strings.TrimSuffix(name, ".gz")
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		if n, err := strconv.Atoi(base[i+1:]); err == nil && n >= 0 {
			return base[:i], n
		}
	}
	return base, 0
}

// orderRotated sorts files so that, for each base name, the oldest
// rotation (highest number) comes first and the live file last.
func orderRotated(names []string) {
	sort.SliceStable(names, func(i, j int) bool {
		bi, ni := rotation(names[i])
		bj, nj := rotation(names[j])
		if bi != bj {
			return bi < bj
		}
		return ni > nj
	})
}

// expand resolves Paths into inputs.
func expand(opts Options) ([]input, error) {
	var out []input
	seen := map[string]bool{}
	addFiles := func(names []string) {
		orderRotated(names)
		for _, n := range names {
			if seen[n] {
				continue
			}
			seen[n] = true
			in := input{name: n, path: n}
			if st, err := os.Stat(n); err == nil {
				in.size = st.Size()
			}
			out = append(out, in)
		}
	}
	for _, p := range opts.Paths {
		switch {
		case p == "-":
			if opts.Stdin == nil {
				return nil, errors.New("log: \"-\" given but no standard input")
			}
			out = append(out, input{name: "<stdin>"})
		case strings.ContainsAny(p, "*?["):
			m, err := filepath.Glob(p)
			if err != nil {
				return nil, fmt.Errorf("log: bad pattern %q: %w", p, err)
			}
			var files []string
			for _, f := range m {
				if st, err := os.Stat(f); err == nil && !st.IsDir() {
					files = append(files, f)
				}
			}
			if len(files) == 0 {
				return nil, fmt.Errorf("log: no file matches %q", p)
			}
			addFiles(files)
		default:
			st, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("log: %w", err)
			}
			if !st.IsDir() {
				addFiles([]string{p})
				continue
			}
			ents, err := os.ReadDir(p)
			if err != nil {
				return nil, fmt.Errorf("log: %w", err)
			}
			var files []string
			for _, e := range ents {
				if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
					files = append(files, filepath.Join(p, e.Name()))
				}
			}
			if len(files) == 0 {
				return nil, fmt.Errorf("log: directory %s holds no files", p)
			}
			addFiles(files)
		}
	}
	// Rotated files of one log are read oldest first wherever they were
	// named: reorder them within the slots they occupy.
	slots := map[string][]int{}
	var bases []string
	for i, in := range out {
		if in.path == "" {
			continue
		}
		b, _ := rotation(in.path)
		if _, ok := slots[b]; !ok {
			bases = append(bases, b)
		}
		slots[b] = append(slots[b], i)
	}
	for _, b := range bases {
		idx := slots[b]
		group := make([]input, len(idx))
		for k, i := range idx {
			group[k] = out[i]
		}
		sort.SliceStable(group, func(x, y int) bool {
			_, nx := rotation(group[x].path)
			_, ny := rotation(group[y].path)
			return nx > ny
		})
		for k, i := range idx {
			out[i] = group[k]
		}
	}
	return out, nil
}

// Collect reads the logs named in opts and returns their facts. It returns
// checks.Absent when no log was given, and an error when a named path does
// not exist or no input could be read at all. Problems with single files
// (unreadable, truncated gzip, binary data) are recorded in Facts.Problems.
func Collect(ctx context.Context, opts Options) (*Facts, error) {
	if len(opts.Paths) == 0 {
		return nil, checks.Absent("no log given (--log)")
	}
	if opts.KB == nil {
		return nil, errors.New("log: no knowledge base")
	}
	ins, err := expand(opts)
	if err != nil {
		return nil, err
	}
	f := &Facts{Files: []string{}, Events: []*Event{}, SinceLastStart: opts.SinceLastStart}
	s := newScanner(matcherFor(opts.KB), f)
	s.sinceLastStart = opts.SinceLastStart
	if !opts.Since.IsZero() {
		f.Since = opts.Since.Format(time.RFC3339)
		s.sinceLocal = opts.Since.In(time.Local).Format("2006-01-02 15:04:05")
		s.sinceUTC = opts.Since.UTC().Format("2006-01-02 15:04:05")
	}
	var total int64
	for _, in := range ins {
		total += in.size
	}
	var done atomic.Int64
	stop := startProgress(opts, total, &done)
	defer stop()
	readOK := 0
	for _, in := range ins {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f.Files = append(f.Files, in.name)
		ok, err := scanInput(ctx, s, in, opts, &done)
		if err != nil {
			return nil, err
		}
		if ok {
			readOK++
		}
	}
	if readOK == 0 {
		return nil, fmt.Errorf("log: no log could be read (%s)", f.Problems[0].Detail)
	}
	f.Events = append(f.Events, s.order...)
	return f, nil
}

// scanInput opens and scans one input; ok is false when it could not be
// opened (recorded as a problem).
func scanInput(ctx context.Context, s *scanner, in input, opts Options, done *atomic.Int64) (ok bool, err error) {
	r := opts.Stdin
	if in.path != "" {
		fh, err := os.Open(in.path)
		if err != nil {
			s.problem(Problem{Kind: "unreadable", File: in.name, Detail: "cannot read " + in.name + ": " + errText(err)})
			return false, nil
		}
		defer fh.Close()
		if produce, ok := mapBlocks(fh, done); ok {
			// A plain file is scanned in place: no copy into buffers.
			s.startFile(in.name)
			defer s.endFile()
			return true, scanEnd(s, in.name, false, 0, scanBlocks(ctx, s, produce))
		}
		r = fh
	}
	return true, scanStream(ctx, s, in.name, &countingReader{r: r, n: done}, opts)
}

// errText renders a file error without repeating the path.
func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
	c int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.c += int64(n)
	c.n.Add(int64(n))
	return n, err
}

// errCapped stops a gzip stream that expands beyond the ratio cap.
var errCapped = errors.New("decompression cap")

type capReader struct {
	r        io.Reader
	in       *countingReader
	out, max int64
}

func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.out += int64(n)
	if c.out > 16<<20 && c.out > c.max*(c.in.c+1) {
		return n, errCapped
	}
	return n, err
}

// scanStream reads one stream (gzip or plain) line by line.
func scanStream(ctx context.Context, s *scanner, name string, raw *countingReader, opts Options) error {
	s.startFile(name)
	defer s.endFile()
	br := bufio.NewReaderSize(raw, 256<<10)
	var r io.Reader = br
	gz := false
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			s.problem(Problem{Kind: "gzip_error", File: name, Detail: "gzip header of " + name + " is invalid: " + err.Error()})
			return nil
		}
		defer zr.Close()
		// Decompress on one core while the lines are scanned on another.
		ar := newAsyncReader(&capReader{r: zr, in: raw, max: opts.maxRatio()})
		defer ar.Close()
		r = ar
		gz = true
	}
	return scanEnd(s, name, gz, opts.maxRatio(), scanBlocks(ctx, s, readBlocks(r)))
}

// scanEnd records why the scan of a stream ended early, as a problem; only
// cancellation is returned as an error.
func scanEnd(s *scanner, name string, gz bool, maxRatio int64, err error) error {
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, errShrank):
		s.flush()
		s.problem(Problem{Kind: "shrank", File: name, Line: s.lineNo,
			Detail: fmt.Sprintf("%s shrank while it was read (truncated by log rotation?); the %d lines before were used", name, s.lineNo)})
	case errors.Is(err, errCapped):
		s.flush()
		s.problem(Problem{Kind: "decompression_cap", File: name, Line: s.lineNo,
			Detail: fmt.Sprintf("%s expands more than %d times (a gzip bomb or binary data); reading stopped after %d MiB", name, maxRatio, s.facts.Bytes>>20)})
	case gz && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader)):
		s.flush()
		s.problem(Problem{Kind: "truncated_gzip", File: name, Line: s.lineNo,
			Detail: fmt.Sprintf("%s is a truncated or corrupt gzip file (%v); the %d readable lines were used", name, err, s.lineNo)})
	case gz:
		s.flush()
		s.problem(Problem{Kind: "gzip_error", File: name, Line: s.lineNo, Detail: fmt.Sprintf("%s: %v after %d lines", name, err, s.lineNo)})
	default:
		s.flush()
		s.problem(Problem{Kind: "unreadable", File: name, Line: s.lineNo, Detail: fmt.Sprintf("reading %s failed after %d lines: %s", name, s.lineNo, errText(err))})
	}
	return nil
}

func (o Options) maxRatio() int64 {
	if o.MaxGzipRatio > 0 {
		return o.MaxGzipRatio
	}
	return 500
}

// startProgress prints "logs: 312 MiB / 1.0 GiB (410 MiB/s)" to
// opts.Progress every half second for big inputs; the returned func stops
// it and ends the line.
func startProgress(opts Options, total int64, done *atomic.Int64) func() {
	th := opts.ProgressThreshold
	if th <= 0 {
		th = 256 << 20
	}
	if opts.Progress == nil || total < th {
		return func() {}
	}
	quit := make(chan struct{})
	fin := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(fin)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-quit:
				fmt.Fprintf(opts.Progress, "\r\x1b[K")
				return
			case <-t.C:
				d := done.Load()
				rate := float64(d) / time.Since(start).Seconds() / (1 << 20)
				pct := 100 * float64(d) / float64(total)
				bar := strings.Repeat("#", int(pct/5)) + strings.Repeat(".", 20-int(pct/5))
				fmt.Fprintf(opts.Progress, "\r\x1b[Klogs [%s] %d/%d MiB (%.0f MiB/s)", bar, d>>20, total>>20, rate)
			}
		}
	}()
	return func() { close(quit); <-fin }
}

// matcherFor returns the (cached) matcher of a knowledge base.
func matcherFor(k *kb.KB) *matcher {
	if m, ok := matchers.Load(k); ok {
		return m.(*matcher)
	}
	m := newMatcher(k)
	matchers.Store(k, m)
	return m
}

// ParseSince parses --since: an RFC 3339 time, a local date and time
// ("2024-05-29 16:27:54", "2024-05-29T16:27"), a date (local midnight), or
// a duration before now ("24h", "90m", "7d").
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("since: empty time")
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	ds := s
	mult := time.Duration(1)
	if strings.HasSuffix(ds, "d") {
		ds, mult = strings.TrimSuffix(ds, "d")+"h", 24
	} else if strings.HasSuffix(ds, "w") {
		ds, mult = strings.TrimSuffix(ds, "w")+"h", 24*7
	}
	if d, err := time.ParseDuration(ds); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("since: duration %q must be positive", s)
		}
		return now.Add(-d * mult), nil
	}
	return time.Time{}, fmt.Errorf("since: %q is not an RFC 3339 time, a date (2006-01-02) or a duration (24h, 7d)", s)
}

var matchers sync.Map
