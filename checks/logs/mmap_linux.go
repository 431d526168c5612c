//go:build linux

package logs

import (
	"bytes"
	"io"
	"os"
	"sync/atomic"
	"syscall"
)

// mapMin is the size from which a plain file is mapped rather than read:
// below it the copy costs less than setting up the mappings.
var mapMin int64 = 1 << 20

// mapHook, when set (by tests), is called with "mapped" after each window
// is mapped and with "cut" before its block is sent.
var mapHook func(stage string)

// mapBlocks returns a producer that maps a plain (not gzip) regular file
// window by window instead of copying it through read(2): on a 10 MB log
// the copy was a sixth of the CPU of a whole audit. Each window is a block
// and is unmapped once applied, so memory stays bounded by the blocks in
// flight whatever the file's size. The file is read up to the size it has
// when the scan starts; if it shrinks under the scan (copytruncate log
// rotation), the pages past its new end fault, which the pipeline turns
// into errShrank. ok is false for inputs this does not apply to.
func mapBlocks(fh *os.File, done *atomic.Int64) (p producer, ok bool) {
	st, err := fh.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() == 0 || st.Size() < mapMin {
		return nil, false
	}
	var magic [2]byte
	if n, _ := fh.ReadAt(magic[:], 0); n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		return nil, false
	}
	size := st.Size()
	page := int64(os.Getpagesize())
	// Some file systems cannot map files (ENODEV): read those instead.
	probe, err := syscall.Mmap(int(fh.Fd()), 0, int(min(page, size)), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, false
	}
	syscall.Munmap(probe)
	return func(send func(*block) bool, quit <-chan struct{}) {
		tokens := make(chan struct{}, blockCount)
		for i := 0; i < blockCount; i++ {
			tokens <- struct{}{}
		}
		fail := func(err error) { send(&block{err: err, last: true}) }
		var skipBuf []byte
		off := int64(0)
		for off < size {
			select {
			case <-tokens:
			case <-quit:
				return
			}
			base := off &^ (page - 1)
			n := min(int64(blockSize), size-off)
			m, err := syscall.Mmap(int(fh.Fd()), base, int(off-base+n), syscall.PROT_READ, syscall.MAP_SHARED|syscall.MAP_POPULATE)
			if err != nil {
				tokens <- struct{}{}
				fail(&os.PathError{Op: "mmap", Path: fh.Name(), Err: err})
				return
			}
			b := &block{buf: m[off-base:], free: func() {
				syscall.Munmap(m)
				tokens <- struct{}{}
			}}
			if mapHook != nil {
				mapHook("mapped")
			}
			next := off + n
			if next < size {
				last, faulted := lastNewline(b.buf)
				switch {
				case faulted:
					b.release()
					fail(errShrank)
					return
				case last >= 0:
					b.buf = b.buf[:last+1]
					next = off + int64(last) + 1
				default:
					// One line longer than a block: keep its start,
					// find its end with reads.
					b.partial = true
					if skipBuf == nil {
						skipBuf = make([]byte, 64<<10)
					}
					for next < size {
						k, err := fh.ReadAt(skipBuf[:min(int64(len(skipBuf)), size-next)], next)
						if i := bytes.IndexByte(skipBuf[:k], '\n'); i >= 0 {
							b.extra += int64(i)
							b.nl = 1
							next += int64(i) + 1
							break
						}
						b.extra += int64(k)
						next += int64(k)
						if err != nil && err != io.EOF {
							b.err, b.last = err, true
							break
						}
						if k == 0 {
							break // the file shrank: its end is the line's end
						}
					}
				}
			}
			if next >= size {
				b.last = true
			}
			done.Add(next - off)
			off = next
			if mapHook != nil {
				mapHook("cut")
			}
			// A worker may set b.last once b is sent.
			if last := b.last; !send(b) || last {
				return
			}
		}
	}, true
}

// lastNewline is bytes.LastIndexByte(b, '\n') that reports a fault (a page
// of a file that shrank) instead of crashing; the producer goroutine runs
// with debug.SetPanicOnFault.
func lastNewline(b []byte) (i int, hit bool) {
	hit = faulted(func() { i = bytes.LastIndexByte(b, '\n') })
	return i, hit
}
