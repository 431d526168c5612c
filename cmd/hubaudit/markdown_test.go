package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// TestMarkdownInjection audits the demo with a log whose request path and
// exception text hold HTML and Markdown (what anyone who can reach a hub
// can put there), renders the Markdown report with goldmark's GFM (what a
// GitHub pull-request comment uses) and checks that none of it became
// markup: no heading, emphasis, link, code span or HTML of its own, and
// the text is shown whole and literally.
func TestMarkdownInjection(t *testing.T) {
	dir := copyDemo(t)
	const (
		html  = "</td></tr></table><h1>x</h1>"
		link  = "[x](javascript:alert(1))"
		emph  = "*bob*"
		ticks = "`code`"
		site  = "https://evil.example/x"
		img   = "<img src=x onerror=alert(1)>"
	)
	path := "/hub/api/users/" + emph + "/" + html + "/" + link + "/" + ticks + "/" + img + "/progress|pipe"
	exc := "No such image: " + html + " " + link + " " + emph + " " + ticks + " " + img + " " + site + " | www.evil.example"
	logFile := filepath.Join(dir, "logs", "jupyterhub.log")
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// A failed request whose path and exception carry the text (the demo's
	// own log has no failure to plant it in).
	log := string(b) + "[E 2026-11-25 09:12:41.004 JupyterHub log:192] 500 GET " + path + " (dave@10.0.4.30) 61.08ms\n" +
		"[E 2026-11-25 09:12:41.010 JupyterHub web:1875] Uncaught exception GET " + path + " (10.0.4.30)\n" +
		"    Traceback (most recent call last):\n" +
		"      File \"/opt/hub/lib/python3.11/site-packages/tornado/web.py\", line 1790, in _execute\n" +
		"        result = await result\n" +
		"      File \"/opt/hub/lib/python3.11/site-packages/dockerspawner/dockerspawner.py\", line 1012, in start\n" +
		"        raise web.HTTPError(500, \"image not found\")\n" +
		"    docker.errors.ImageNotFound: 404 Client Error: Not Found (\"" + exc + "\")\n"
	if err := os.WriteFile(logFile, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	code, md, errs := hubaudit(t, nil, "pre", "--target", "5.5.1", "--dir", dir, "--format", "markdown")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(md, "HUB408") || !strings.Contains(md, "HUB407") {
		t.Fatalf("the log findings are missing:\n%s", md)
	}

	gm := goldmark.New(goldmark.WithExtensions(extension.GFM))
	src := []byte(md)
	doc := gm.Parser().Parse(text.NewReader(src))
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if h := string(n.Lines().Value(src)); !strings.HasPrefix(h, "hubaudit ") && !knownHeading(h) {
				t.Errorf("a heading from the input: %q", h)
			}
		case *ast.Emphasis:
			if s := nodeText(n, src); n.Level == 1 || strings.Contains(s, "bob") {
				t.Errorf("emphasis from the input: %q", s)
			}
		case *ast.Link:
			if !strings.HasPrefix(string(n.Destination), "https://github.com/hubaudit/hubaudit/") {
				t.Errorf("a link from the input: %q", n.Destination)
			}
		case *ast.AutoLink:
			t.Errorf("an autolink from the input: %q", n.URL(src))
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				if raw := string(seg.Value(src)); raw != "<br>" {
					t.Errorf("inline HTML from the input: %q", raw)
				}
			}
		case *ast.HTMLBlock:
			if raw := string(n.Lines().Value(src)); !strings.HasPrefix(raw, "<details><summary>") && !strings.HasPrefix(raw, "</details>") {
				t.Errorf("an HTML block from the input: %q", raw)
			}
		case *ast.CodeSpan:
			if s := nodeText(n, src); s == "code" {
				t.Errorf("a code span from the input's backticks: %q", s)
			}
			return ast.WalkSkipChildren, nil
		case *extast.Strikethrough:
			t.Errorf("strikethrough from the input: %q", nodeText(n, src))
		}
		return ast.WalkContinue, nil
	})
	var out bytes.Buffer
	if err := gm.Convert(src, &out); err != nil {
		t.Fatal(err)
	}
	rendered := out.String()
	for _, bad := range []string{"<h1>", "<em>", "<img", `href="javascript`, `href="https://evil`, `href="http://www.evil`, "<code>code</code>"} {
		if strings.Contains(rendered, bad) {
			t.Errorf("the rendered report holds %s", bad)
		}
	}
	// The message cells show the planted text whole: entities and
	// escapes are text once rendered.
	shown := htmlText(rendered)
	for _, want := range []string{exc, html + "/" + link + "/" + ticks + "/" + img + "/progress|pipe"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the rendered report does not show %q literally:\n%s", want, shown)
		}
	}
}

// knownHeading reports whether h is one of the report's own headings.
func knownHeading(h string) bool {
	for _, p := range []string{"Configuration", "Database", "Environments", "Logs", "Upgrade", "hubaudit", "Compared with baseline", "Upgrade plan "} {
		if strings.HasPrefix(h, p) {
			return true
		}
	}
	return false
}

// nodeText is the text under n.
func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// htmlText strips tags and decodes the entities of rendered HTML.
func htmlText(h string) string {
	var b strings.Builder
	in := false
	for _, r := range h {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&#58;", ":", "&#46;", ".", "&#64;", "@", "&amp;", "&").Replace(b.String())
}
