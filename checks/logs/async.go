package logs

import "io"

// asyncReader reads its source in a separate goroutine into a few fixed
// buffers, so that decompression and scanning run on two cores. Memory is
// bounded by nbuf buffers of bufSize bytes.
type asyncReader struct {
	full  chan chunk
	free  chan []byte
	cur   chunk
	off   int
	done  chan struct{}
	ended bool
}

type chunk struct {
	b   []byte
	err error
}

const (
	asyncBufSize = 512 << 10
	asyncBufs    = 4
)

func newAsyncReader(r io.Reader) *asyncReader {
	a := &asyncReader{full: make(chan chunk, asyncBufs), free: make(chan []byte, asyncBufs), done: make(chan struct{})}
	for i := 0; i < asyncBufs; i++ {
		a.free <- make([]byte, asyncBufSize)
	}
	go func() {
		for {
			var buf []byte
			select {
			case buf = <-a.free:
			case <-a.done:
				return
			}
			n, err := io.ReadFull(r, buf)
			if err == io.ErrUnexpectedEOF && n > 0 && n < len(buf) {
				// io.ReadFull's short final read: the source ended (or
				// failed) after n bytes; keep its real error for the
				// next call.
				err = nil
			}
			select {
			case a.full <- chunk{b: buf[:n], err: err}:
			case <-a.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return a
}

// Read implements io.Reader.
func (a *asyncReader) Read(p []byte) (int, error) {
	for a.off >= len(a.cur.b) {
		if a.cur.err != nil {
			return 0, a.cur.err
		}
		if a.cur.b != nil {
			a.free <- a.cur.b[:cap(a.cur.b)]
		}
		a.cur, a.off = <-a.full, 0
		if len(a.cur.b) == 0 && a.cur.err != nil {
			return 0, a.cur.err
		}
	}
	n := copy(p, a.cur.b[a.off:])
	a.off += n
	return n, nil
}

// Close stops the reading goroutine.
func (a *asyncReader) Close() {
	if !a.ended {
		a.ended = true
		close(a.done)
	}
}
