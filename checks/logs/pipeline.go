package logs

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"runtime/debug"
)

// The parallel scan: a producer goroutine cuts the stream into blocks at
// line ends (read into a pool of buffers, or mapped from the file), workers
// parse the lines of each block and reduce runs of ordinary records (the
// vast majority) to a count, and the scanner applies the blocks in order,
// re-parsing only the lines that matter (warnings, errors, candidates of
// known messages, bare text). The result is exactly that of feeding every
// line to scanner.add, on all cores, with memory bounded by the blocks in
// flight.

// blockSize is the size of a block (variable for tests; it must exceed
// maxLine), blockCount how many blocks are in flight.
var (
	blockSize  = 1 << 20
	blockCount = 4
)

// item is one step of a block's result: a line to hand to scanner.add, or a
// run of ordinary records that only update counters.
type item struct {
	run bool
	// line: its bytes are block[off:off+n]; long when it was capped.
	off, n int
	long   bool
	// run: lines, of which skipped were before --since; bytes read;
	// the time of the last record not skipped (time == nil: none).
	lines, skipped, bytes int64
	time                  []byte
	outer, lastSkip       bool
}

// block is one piece of the stream, cut after a newline.
type block struct {
	buf     []byte
	partial bool  // one line longer than the block; skipped more bytes follow
	extra   int64 // bytes of that line skipped after the block
	nl      int64 // 1 when a newline ended that line, 0 at the end of input
	err     error // the read error that ended the stream (nil: EOF)
	last    bool
	items   []item
	done    chan struct{}
	// free gives the block's memory back (to the pool, or unmaps it);
	// nil when there is nothing to give back.
	free func()
}

// release calls free once.
func (b *block) release() {
	if b.free != nil {
		b.free()
		b.free = nil
	}
}

// boring says whether a parsed line is an ordinary record whose only effect
// is on counters; skip says it is before --since. It must agree with add.
func (s *scanner) boring(l *line) (boring, skip bool) {
	if l.kind == kindBare {
		return false, false
	}
	if s.before(l) {
		return true, true
	}
	if l.nl {
		return false, false
	}
	if l.kind == kindProxy {
		return l.level != 'E', false
	}
	switch l.level {
	case 'W', 'E', 'C':
		return false, false
	}
	return !isAccess5xx(l.msg) && !s.m.candidate(l.msg), false
}

// work parses the lines of a block into items.
func (s *scanner) work(b *block, l *line, scratch *[]byte) {
	var run *item
	buf := b.buf
	if b.partial {
		n := len(buf)
		if n > maxLine {
			n = maxLine
		}
		b.items = append(b.items, item{off: 0, n: n, long: true, bytes: int64(len(buf)) + b.extra + b.nl})
		return
	}
	off := 0
	for off < len(buf) {
		end := bytes.IndexByte(buf[off:], '\n')
		var ln []byte
		next := 0
		if end < 0 {
			ln, next = buf[off:], len(buf)
		} else {
			ln, next = buf[off:off+end], off+end+1
		}
		long := false
		if len(ln) > maxLine {
			ln, long = ln[:maxLine], true
		}
		if !long {
			parseLine(ln, l, scratch)
			if bor, skip := s.boring(l); bor {
				if run == nil {
					b.items = append(b.items, item{run: true})
					run = &b.items[len(b.items)-1]
				}
				run.lines++
				run.bytes += int64(next - off)
				run.lastSkip = skip
				if skip {
					run.skipped++
				} else {
					run.time = append(run.time[:0], l.time...)
					if run.time == nil {
						run.time = []byte{}
					}
					run.outer = l.outer
				}
				off = next
				continue
			}
		}
		b.items = append(b.items, item{off: off, n: len(ln), long: long, bytes: int64(next - off)})
		run = nil
		off = next
	}
}

// apply feeds a worked block to the scanner.
func (s *scanner) apply(b *block) {
	for i := range b.items {
		it := &b.items[i]
		if it.run {
			s.flush()
			s.facts.Lines += it.lines
			s.lineNo += it.lines
			s.facts.Bytes += it.bytes
			s.facts.SkippedLines += it.skipped
			s.facts.Records += it.lines - it.skipped
			s.lastBoring, s.lastSkip = true, it.lastSkip
			if it.lines > it.skipped {
				// An ordinary record ends any start-up preamble.
				s.preamble.boundary(s.facts.Lines)
			}
			if it.time != nil {
				s.lastTime = append(s.lastTime[:0], it.time...)
				s.lastOuter = it.outer
			}
			continue
		}
		s.add(b.buf[it.off : it.off+it.n])
		// add counted the line and a newline; correct for what was cut.
		s.facts.Bytes += it.bytes - int64(it.n) - 1
		if it.long {
			s.longLine()
		}
	}
}

// producer cuts a stream into blocks and hands each to send, in order,
// until send returns false or the stream ends (the block that ends it has
// last set). It runs in its own goroutine and must return promptly once
// quit is closed.
type producer func(send func(*block) bool, quit <-chan struct{})

// scanBlocks runs the parallel pipeline over the blocks of produce and
// returns the error that ended the stream (nil at its end).
func scanBlocks(ctx context.Context, s *scanner, produce producer) error {
	work := make(chan *block, blockCount)
	order := make(chan *block, blockCount)
	quit := make(chan struct{})
	workers := runtime.GOMAXPROCS(0)
	if workers > 4 {
		workers = 4
	}
	for i := 0; i < workers; i++ {
		go func() {
			// Blocks of a mapped file that shrinks under the scan
			// fault: make that a panic workGuarded recovers.
			debug.SetPanicOnFault(true)
			var l line
			var scratch []byte
			for b := range work {
				s.workGuarded(b, &l, &scratch)
				close(b.done)
			}
		}()
	}
	go func() {
		defer close(work)
		defer close(order)
		debug.SetPanicOnFault(true)
		produce(func(b *block) bool {
			b.done = make(chan struct{})
			select {
			case order <- b:
			case <-quit:
				b.release()
				return false
			}
			work <- b
			return true
		}, quit)
	}()
	defer func() {
		// The producer stops at its next block and the workers when it
		// closes work; blocks still in flight are released once worked.
		close(quit)
		go func() {
			for b := range order {
				<-b.done
				b.release()
			}
		}()
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	for b := range order {
		<-b.done
		if err := ctx.Err(); err != nil {
			b.release()
			return err
		}
		err := s.applyGuarded(b)
		b.release()
		if err != nil {
			return err
		}
		if b.last {
			return b.err
		}
	}
	return nil
}

// errShrank ends the scan of a mapped file whose pages vanished under it:
// the file was truncated while it was read (log rotation by copytruncate).
var errShrank = errors.New("the file shrank while it was read")

// faulted runs f and reports whether it hit a memory fault: with
// debug.SetPanicOnFault, an access to a page of a mapped file past its new
// end. Other panics go on.
func faulted(f func()) (hit bool) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(runtime.Error)
			if _, addr := e.(interface{ Addr() uintptr }); !ok || !addr {
				panic(r)
			}
			hit = true
		}
	}()
	f()
	return false
}

// workGuarded is work that turns a fault into the end of the stream: the
// items found before it stay.
func (s *scanner) workGuarded(b *block, l *line, scratch *[]byte) {
	if faulted(func() { s.work(b, l, scratch) }) {
		b.err, b.last = errShrank, true
	}
}

// applyGuarded is apply that returns errShrank on a fault.
func (s *scanner) applyGuarded(b *block) error {
	if faulted(func() { s.apply(b) }) {
		return errShrank
	}
	return nil
}

// readBlocks cuts r into blocks of a pool of buffers, each cut after its
// last newline.
func readBlocks(r io.Reader) producer {
	return func(send func(*block) bool, quit <-chan struct{}) {
		pool := make(chan []byte, blockCount)
		for i := 0; i < blockCount; i++ {
			pool <- make([]byte, blockSize)
		}
		get := func(buf []byte) *block {
			return &block{buf: buf, free: func() { pool <- buf[:cap(buf)] }}
		}
		// carry holds bytes already read but not yet in a block (the
		// tail after the last newline of the previous block, or what
		// followed an over-long line); it is consumed before r.
		var carry []byte
		var rerr error
		read := func(p []byte) int {
			if len(carry) > 0 {
				n := copy(p, carry)
				carry = carry[n:]
				return n
			}
			if rerr != nil {
				return 0
			}
			n, err := r.Read(p)
			rerr = err
			return n
		}
		skipBuf := make([]byte, 64<<10)
		for {
			var buf []byte
			select {
			case buf = <-pool:
			case <-quit:
				return
			}
			n := 0
			for n < len(buf) {
				m := read(buf[n:])
				n += m
				if m == 0 && len(carry) == 0 && rerr != nil {
					break
				}
			}
			if n < len(buf) {
				err := rerr
				if err == io.EOF {
					err = nil
				}
				b := get(buf[:n])
				b.err, b.last = err, true
				send(b)
				return
			}
			last := bytes.LastIndexByte(buf, '\n')
			if last >= 0 {
				if tail := buf[last+1:]; len(tail) > 0 {
					carry = append(append(make([]byte, 0, len(tail)+len(carry)), tail...), carry...)
				}
				if !send(get(buf[:last+1])) {
					return
				}
				continue
			}
			// One line longer than a block: keep its start, skip the rest.
			b := get(buf)
			b.partial = true
			for {
				m := read(skipBuf)
				if i := bytes.IndexByte(skipBuf[:m], '\n'); i >= 0 {
					b.extra += int64(i)
					b.nl = 1
					if rest := skipBuf[i+1 : m]; len(rest) > 0 {
						carry = append(append(make([]byte, 0, len(rest)+len(carry)), rest...), carry...)
					}
					break
				}
				b.extra += int64(m)
				if m == 0 && len(carry) == 0 && rerr != nil {
					if rerr != io.EOF {
						b.err = rerr
					}
					b.last = true
					break
				}
			}
			// A worker may set b.last once b is sent.
			if last := b.last; !send(b) || last {
				return
			}
		}
	}
}
