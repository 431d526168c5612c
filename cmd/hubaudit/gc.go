package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// gcHeapLimit is the heap hubaudit lets grow before it collects garbage.
// An audit is a short process whose heap stays far below it (a few MiB
// for a deployment, a bounded window for a log of any size), so in the
// common case the collector never runs; a larger heap is still collected,
// which keeps memory bounded.
const gcHeapLimit = 40 << 20

func init() {
	// Respect explicit settings, and leave test binaries alone.
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" || testing.Testing() {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcHeapLimit)
}
