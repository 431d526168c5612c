package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/google/renameio/v2"
	"golang.org/x/term"

	"github.com/hubaudit/hubaudit/report"
)

// output is one destination of a report: a format and a file, "-" being
// stdout.
type output struct {
	format, path string
	// flag is how the user named it, for messages ("--output sarif=a.sarif").
	flag string
}

func (o output) stdout() bool { return o.path == "-" }

// formatName returns the canonical name of a report format, or "".
func formatName(s string) string {
	if s == "md" {
		return "markdown"
	}
	for _, f := range report.Formats {
		if f == s {
			return f
		}
	}
	return ""
}

// formatFromExt picks a format from a file name's extension (table when
// none matches).
func formatFromExt(path string) string {
	switch filepath.Ext(path) {
	case ".json":
		return "json"
	case ".xml":
		return "junit"
	case ".sarif":
		return "sarif"
	case ".md":
		return "markdown"
	}
	return "table"
}

// planOutputs resolves --format and the --output values into the list of
// reports to write, all from one audit. An --output is FORMAT=PATH, or a
// bare PATH (at most one) whose format is --format or comes from its
// extension. stdout gets --format (default table) unless a bare PATH took
// it, or an output names "-". Two reports to one destination are a usage
// error, as is a folder that does not exist.
func planOutputs(format string, values []string, snapshot string) ([]output, error) {
	if format != "" && formatName(format) == "" {
		return nil, usageErr("formats: "+strings.Join(report.Formats, ", "), "unknown --format %q", format)
	}
	format = formatName(format)
	var outs []output
	var bare []string
	for _, v := range values {
		o := output{flag: "--output " + v}
		if name, path, ok := strings.Cut(v, "="); ok && formatName(name) != "" {
			o.format, o.path = formatName(name), path
		} else {
			o.path = v
			bare = append(bare, v)
			o.format = format
			if o.format == "" {
				o.format = formatFromExt(v)
			}
		}
		if o.path == "" {
			return nil, usageErr("for example: --output sarif=hubaudit.sarif", "%s: no file name", o.flag)
		}
		outs = append(outs, o)
	}
	if len(bare) > 1 {
		return nil, usageErr("name each report's format: --output json=a.json --output sarif=b.sarif",
			"--output given %d times without a format (%s)", len(bare), strings.Join(bare, ", "))
	}
	// stdout keeps its report (--format, or the table) unless an output
	// takes it: the bare one, or one written to "-".
	takesStdout := len(bare) == 1
	for _, o := range outs {
		takesStdout = takesStdout || o.stdout()
	}
	if !takesStdout {
		f := format
		if f == "" {
			f = "table"
		}
		outs = append(outs, output{format: f, path: "-", flag: "stdout"})
	}
	seen := map[string]output{}
	if snapshot != "" {
		seen[destKey(snapshot)] = output{flag: "--snapshot " + snapshot}
	}
	for _, o := range outs {
		k := destKey(o.path)
		if prev, ok := seen[k]; ok {
			what := "the same file"
			if o.stdout() {
				what = "stdout"
			}
			return nil, usageErr("give each report its own file", "%s and %s both write to %s", prev.flag, o.flag, what)
		}
		seen[k] = o
		if !o.stdout() {
			if err := checkDest(o.path); err != nil {
				return nil, usageErr("", "%s: %v", o.flag, err)
			}
		}
	}
	return outs, nil
}

// destKey identifies a destination: "-" or the cleaned absolute path.
func destKey(path string) string {
	if path == "-" {
		return path
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

// checkDest refuses, before the audit runs, a file that could not be
// written: its folder is missing or it is a folder itself.
func checkDest(path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return errors.New("is a directory")
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("folder %s does not exist", dir)
	}
	return nil
}

// writeFileAtomic writes through a temporary file in the same folder and
// renames it over path, so a failed write never leaves half a file. A new
// file gets mode 0666 less the umask (0644 usually); a file replaced keeps
// its mode.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := renameio.NewPendingFile(path, renameio.WithTempDir(filepath.Dir(path)),
		renameio.WithPermissions(0o666), renameio.WithExistingPermissions())
	if err != nil {
		return err
	}
	defer f.Cleanup()
	if err := write(f); err != nil {
		return err
	}
	return f.CloseAtomicallyReplace()
}

// width is the number of columns a table written to w may use: the
// terminal's when w is one, else $COLUMNS, else 80.
func (e *env) width(w io.Writer) int {
	if e.termWidth != nil {
		if n := e.termWidth(w); n > 0 {
			return n
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(e.getenv("COLUMNS"))); err == nil && n > 0 {
		return n
	}
	return 80
}

// termWidth returns the width of the terminal w is, or 0.
func termWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	n, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return n
}
