package lazyre

import (
	"sync"
	"testing"
)

func TestNew(t *testing.T) {
	re := New(`^a(b+)$`)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if g := re().FindStringSubmatch("abbb"); len(g) != 2 || g[1] != "bbb" {
				t.Errorf("match: %q", g)
			}
		}()
	}
	wg.Wait()
	if re() != re() {
		t.Error("compiled twice")
	}
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	New(`(`)
	if err := Check(); err == nil {
		t.Error("an invalid pattern passed Check")
	}
	mu.Lock()
	patterns = patterns[:len(patterns)-1]
	mu.Unlock()
}

func TestData(t *testing.T) {
	n := Count()
	if re := Data(`^x(\d+)$`)(); !re.MatchString("x12") {
		t.Error("Data pattern does not match")
	}
	if re := Data(`((`)(); re.MatchString("") || re.MatchString("((") {
		t.Error("a bad data pattern must match nothing")
	}
	if Count() != n {
		t.Error("Data registered its patterns for Check")
	}
}
