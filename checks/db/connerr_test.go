package db

import "testing"

func TestFoldLines(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"one line", "one line"},
		{"failed to connect to `user=u database=hub`:\n\ta: refused\n\ta: refused", "failed to connect to `user=u database=hub`: a: refused"},
		{"x: tls error: refused\nx: bad message", "x: tls error: refused; x: bad message"},
		{"resolving error: lookup h: no such host\nlookup h: no such host", "resolving error: lookup h: no such host"},
		{"\n\n", ""},
	} {
		if got := foldLines(tc.in); got != tc.want {
			t.Errorf("foldLines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
