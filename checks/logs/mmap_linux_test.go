//go:build linux

package logs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hubaudit/hubaudit/kb"
)

// TestMappedFileShrinks truncates a log while it is mapped, as logrotate's
// copytruncate does to a live hub log: the pages past the new end fault,
// and the scan must end with a "shrank" problem instead of crashing, at
// each place that reads the mapping (cutting a block, working it).
func TestMappedFileShrinks(t *testing.T) {
	line := "[I 2024-05-29 10:00:00.000 JupyterHub log:192] 200 GET /hub/home (alice@10.0.0.1) 5.00ms\n"
	for _, stage := range []string{"mapped", "cut"} {
		t.Run(stage, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "jupyterhub.log")
			if err := os.WriteFile(path, []byte(strings.Repeat(line, (4<<20)/len(line))), 0o644); err != nil {
				t.Fatal(err)
			}
			calls := 0
			mapHook = func(s string) {
				if s == stage {
					calls++
					if calls == 2 { // in the second window
						if err := os.Truncate(path, 3<<19); err != nil {
							t.Error(err)
						}
					}
				}
			}
			defer func() { mapHook = nil }()
			f, err := Collect(context.Background(), Options{KB: kb.MustLoad(), Paths: []string{path}})
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Problems) != 1 || f.Problems[0].Kind != "shrank" || !strings.Contains(f.Problems[0].Detail, "shrank while it was read") {
				t.Fatalf("problems: %+v", f.Problems)
			}
			// The first window (1 MiB) was read in full, the second up
			// to the new end at most.
			if per := int64(len(line)); f.Lines < (1<<20)/per-1 || f.Lines > (2<<20)/per {
				t.Errorf("lines read: %d", f.Lines)
			}
		})
	}
}

// TestMappedMemoryBounded checks that windows are unmapped once applied:
// a file of many windows never has more than blockCount mapped at once.
func TestMappedMemoryBounded(t *testing.T) {
	old := blockSize
	defer func() { blockSize = old }()
	blockSize = 64 << 10
	line := "[W 2024-05-29 10:00:00.000 JupyterHub auth:1] x\n"
	path := filepath.Join(t.TempDir(), "jupyterhub.log")
	if err := os.WriteFile(path, []byte(strings.Repeat(line, (8<<20)/len(line))), 0o644); err != nil {
		t.Fatal(err)
	}
	maxMaps := 0
	mapHook = func(s string) {
		if s == "mapped" {
			if n := countMaps(t, path); n > maxMaps {
				maxMaps = n
			}
		}
	}
	defer func() { mapHook = nil }()
	f, err := Collect(context.Background(), Options{KB: kb.MustLoad(), Paths: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Lines != int64((8<<20)/len(line)) {
		t.Errorf("lines %d", f.Lines)
	}
	if maxMaps == 0 || maxMaps > blockCount {
		t.Errorf("at most %d windows should be mapped at once, saw %d", blockCount, maxMaps)
	}
	if n := countMaps(t, path); n != 0 {
		t.Errorf("%d windows still mapped after the scan", n)
	}
}

// countMaps counts the mappings of path in /proc/self/maps.
func countMaps(t *testing.T, path string) int {
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skipf("SKIP: no /proc/self/maps: %v", err)
	}
	return strings.Count(string(b), path)
}

// TestUnmappableFileIsRead: a regular file that cannot be mapped (sysfs
// attributes refuse mmap) is read through read(2) instead.
func TestUnmappableFileIsRead(t *testing.T) {
	const path = "/sys/kernel/mm/transparent_hugepage/enabled"
	fh, err := os.Open(path)
	if err != nil {
		t.Skipf("SKIP: %s: %v", path, err)
	}
	defer fh.Close()
	old := mapMin
	defer func() { mapMin = old }()
	mapMin = 0
	if m, err := syscall.Mmap(int(fh.Fd()), 0, 4096, syscall.PROT_READ, syscall.MAP_SHARED); err == nil {
		syscall.Munmap(m)
		t.Skipf("SKIP: %s can be mapped here", path)
	}
	f, err := Collect(context.Background(), Options{KB: kb.MustLoad(), Paths: []string{path}})
	if err != nil || f.Lines != 1 || len(f.Problems) != 0 {
		t.Fatalf("read: %v lines %d problems %+v", err, f.Lines, f.Problems)
	}
}
