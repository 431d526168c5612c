//go:build !unix

package logs

import (
	"os"
	"sync/atomic"
)

// mapBlocks maps files only on Unix; elsewhere every file is read.
func mapBlocks(fh *os.File, done *atomic.Int64) (producer, bool) { return nil, false }
