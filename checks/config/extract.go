package config

import (
	"bytes"
	"fmt"
	"math/big"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-python/gpython/ast"
	"github.com/go-python/gpython/parser"
	"github.com/go-python/gpython/py"

	"github.com/hubaudit/hubaudit/internal/lazyre"
)

// maxFileSize is the largest config file analysed. Real configs are a few
// kilobytes; anything this large is not a config.
const maxFileSize = 8 << 20

// posMap turns a position in a Python source into a position in the file
// that holds it (the identity for .py files, a shift for values.yaml
// snippets). Lines are 1-based, columns 1-based.
type posMap func(line, col int) (int, int)

func identity(line, col int) (int, int) { return line, col }

// fileResult is what one Python source yields.
type fileResult struct {
	assignments  []Assignment
	errors       []ParseError
	suppressions []Suppression
	imports      []Import
	subconfigs   []Subconfig
	handoffs     []Handoff
	classes      []ClassDef
	envRefs      []EnvRef
	secrets      []Secret
	rewrites     map[string]int
	charts       []ChartValues
	tljhRelease  string
	tljhKeys     []TLJHKey
}

// methodOps are the container methods that change a trait's value.
var methodOps = map[string]bool{
	"append": true, "extend": true, "update": true, "insert": true, "add": true, "setdefault": true,
}

// secretRE matches trait names (and dict keys) whose values are secrets.
var secretRE = lazyre.New(`(?i)(secret|token|passw|api_key|apikey|private_key|credential)`)

// notSecretRE matches the names of real traits (of JupyterHub and its
// companions, from the knowledge base's catalogs) that contain a secret
// word but hold no secret: server_token_scopes, token_expires_in_max_seconds,
// minimum_password_length, password_groups, revoke_tokens_on_logout,
// image_pull_secrets, secret_name_template, userdata_token_method,
// check_common_password, trust_user_provided_tokens, ...
var notSecretRE = lazyre.New(`(?i)(scopes$|expires|_length$|_groups$|_method$|_template$|pull_secrets$|^revoke_|^exclude_|^automount_|^check_|^trust_|^userdata_from_)`)

// Redacted replaces secret values in facts.
const Redacted = "<redacted>"

// analyzePython parses one Python source and extracts its facts. name is
// the file name reported; pm maps positions to the real file.
func analyzePython(name string, src []byte, pm posMap) *fileResult {
	res := &fileResult{rewrites: map[string]int{}}
	isIdentity := pm == nil
	if pm == nil {
		pm = identity
	}
	perr := func(line, col int, reason, skipped string) {
		l, c := pm(line, col)
		res.errors = append(res.errors, ParseError{File: name, Line: l, Column: c, Reason: reason, Skipped: skipped})
	}
	pl, text, mod, bom := parseSource(name, src, perr)
	if pl == nil {
		return res
	}
	for k, v := range pl.rewrites {
		res.rewrites[k] += v
	}
	for _, s := range pl.suppressions() {
		l, _ := pm(s.line, 1)
		at, _ := pm(s.at, 1)
		res.suppressions = append(res.suppressions, Suppression{Rules: s.rules, File: name, Line: l, At: at, Reason: s.reason})
	}
	if mod == nil {
		return res
	}
	x := &extractor{name: name, pm: pm, res: res, src: text, fstrings: pl.fstrings, unpackKeys: pl.unpackKeys,
		configNames: map[string]bool{"c": true}, pmIsIdentity: isIdentity, shift: bom}
	x.lineStarts = lineOffsets(text)
	if m, ok := mod.(*ast.Module); ok {
		x.stmts(m.Body)
	}
	return res
}

// parseSource checks, pre-lexes and parses one Python source, reporting
// problems through perr. It returns the pre-lexed source (nil when the file
// was refused: too large, binary), the parsed text, the module (nil when
// nothing parsed) and the length of a stripped byte-order mark.
func parseSource(name string, src []byte, perr func(line, col int, reason, skipped string)) (*prelexed, []byte, ast.Mod, int) {
	if len(src) > maxFileSize {
		perr(0, 0, fmt.Sprintf("file is %d MB, larger than the %d MB a config can be; not analysed", len(src)>>20, maxFileSize>>20), "")
		return nil, nil, nil, 0
	}
	if k := bytes.IndexByte(src, 0); k >= 0 {
		line := bytes.Count(src[:k], []byte("\n")) + 1
		perr(line, 0, "file contains NUL bytes: it is a binary file, not Python source; not analysed", "")
		return nil, nil, nil, 0
	}
	bom := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		src, bom = src[3:], 3
	}
	if s, line, col := sanitizeUTF8(src); line > 0 {
		perr(line, col, "file is not valid UTF-8 (Python 3 reads config files as UTF-8); the bad bytes were read as '?'", "")
		src = s
	}
	pl := prelex(src)
	text, mod := parseChunked(pl, name, perr)
	return pl, text, mod, bom
}

// parseChunked parses the pre-lexed source. A large file is cut at
// top-level statements into one chunk per core; each chunk is the whole
// file with the other chunks' lines blanked, so positions stay exact, and
// the chunks parse concurrently (gpython's parser is reentrant). Syntax
// errors are recovered per chunk. It returns the source with the
// statements that failed blanked, and the module (nil when nothing parsed).
func parseChunked(pl *prelexed, name string, perr func(line, col int, reason, skipped string)) ([]byte, ast.Mod) {
	lines := bytes.Count(pl.src, []byte("\n")) + 1
	cuts := chunkCuts(pl, lines, runtime.GOMAXPROCS(0))
	if len(cuts) == 0 {
		return parseRecovering(pl, pl.src, name, lines, pl.softStarts, perr)
	}
	type part struct {
		a, b int
		text []byte
		mod  ast.Mod
		errs []func()
	}
	bounds := append(append([]int{1}, cuts...), lines+1)
	parts := make([]*part, len(bounds)-1)
	var wg sync.WaitGroup
	for i := range parts {
		pt := &part{a: bounds[i], b: bounds[i+1] - 1}
		parts[i] = pt
		text := pl.src
		if pt.a > 1 {
			text = blankLines(text, 1, pt.a-1)
		}
		if pt.b < lines {
			text = blankLines(text, pt.b+1, lines)
		}
		soft := map[int][2]int{}
		for l, v := range pl.softStarts {
			if l >= pt.a && l <= pt.b {
				soft[l] = v
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			record := func(line, col int, reason, skipped string) {
				pt.errs = append(pt.errs, func() { perr(line, col, reason, skipped) })
			}
			pt.text, pt.mod = parseRecovering(pl, text, name, lines, soft, record)
		}()
	}
	wg.Wait()
	// Reassemble: each chunk's own lines from its text, errors in order.
	offs := lineOffsets(pl.src)
	out := make([]byte, 0, len(pl.src))
	var body []ast.Stmt
	for _, pt := range parts {
		for _, e := range pt.errs {
			e()
		}
		from, to := offs[pt.a-1], len(pl.src)
		if pt.b < len(offs) {
			to = offs[pt.b]
		}
		out = append(out, pt.text[from:to]...)
		if m, ok := pt.mod.(*ast.Module); ok {
			body = append(body, m.Body...)
		}
	}
	return out, &ast.Module{Body: body}
}

// chunkLines is the size under which a file is parsed in one piece.
const chunkLines = 1500

// chunkCuts returns the first lines of the second and later chunks: lines
// that start a new top-level statement (not a continuation clause such as
// else or except, not a recovery point inside a bracket; the pre-lexer
// never marks the line after a backslash), spaced about evenly. None for
// small files.
func chunkCuts(pl *prelexed, lines, cores int) []int {
	n := min(cores, lines/chunkLines)
	if n < 2 {
		return nil
	}
	offs := lineOffsets(pl.src)
	safe := func(line int) bool {
		if _, soft := pl.softStarts[line]; soft || line < 2 || line > len(offs) {
			return false
		}
		rest := pl.src[offs[line-1]:]
		for _, kw := range []string{"else", "elif", "except", "finally", "case"} {
			if bytes.HasPrefix(rest, []byte(kw)) && (len(rest) == len(kw) || !isIdentByte(rest[len(kw)])) {
				return false
			}
		}
		return true
	}
	var cuts []int
	next := lines / n
	for _, l := range pl.stmtLines {
		if len(cuts) == n-1 {
			break
		}
		if l >= next && safe(l) {
			cuts = append(cuts, l)
			next = l + lines/n
		}
	}
	return cuts
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// parseRecovering parses text; on an error it blanks the top-level
// statement that holds it and tries again, so that the rest of the file is
// still analysed.
func parseRecovering(pl *prelexed, text []byte, name string, lines int, softStarts map[int][2]int, perr func(line, col int, reason, skipped string)) ([]byte, ast.Mod) {
	const maxErrors = 50
	for attempt := 0; attempt <= maxErrors; attempt++ {
		if attempt == maxErrors {
			perr(0, 0, fmt.Sprintf("more than %d syntax errors; the file was not analysed further", maxErrors), "")
			return text, nil
		}
		m, err := safeParse(text, name)
		if err == nil {
			return text, m
		}
		line, col, msg := syntaxErrorPos(err)
		reason := plainReason(msg)
		switch {
		case pl.unterminatedLine > 0 && line >= pl.unterminatedLine && strings.Contains(msg, "EOF"):
			line, col, reason = pl.unterminatedLine, 0, "a string starts here and is never closed"
		case strings.Contains(msg, "EOF") && pl.openLine > 0:
			line, col, reason = pl.openLine, pl.openCol, "a bracket opened here is never closed"
		}
		if line < 1 {
			line = 1
		}
		if line > lines {
			line = lines
		}
		if br, ok := softStarts[line]; ok {
			// The statement before ran into this line: report the
			// bracket that was left open, and skip up to here.
			a, _ := chunkAround(pl.stmtLines, br[0], lines)
			perr(br[0], br[1]+1, fmt.Sprintf("a bracket opened here is not closed before line %d", line), fmt.Sprintf("%d-%d", a, line-1))
			text = blankLines(text, a, line-1)
			delete(softStarts, line)
			continue
		}
		a, b := chunkAround(pl.stmtLines, line, lines)
		if unexpectedIndent(text, line) {
			reason, col = "unexpected indentation (the line above does not open a block)", 0
			a = line
		}
		if a == 0 {
			perr(line, col+1, reason, "")
			return text, nil
		}
		perr(line, col+1, reason, fmt.Sprintf("%d-%d", a, b))
		text = blankLines(text, a, b)
	}
	return text, nil
}

// safeParse runs gpython's parser, turning a panic into an error.
func safeParse(src []byte, name string) (mod ast.Mod, err error) {
	defer func() {
		if r := recover(); r != nil {
			mod, err = nil, fmt.Errorf("parser failure: %v", r)
		}
	}()
	return parser.Parse(bytes.NewReader(src), name, py.ExecMode)
}

// syntaxErrorPos extracts the position and message of a gpython error.
func syntaxErrorPos(err error) (line, col int, msg string) {
	msg = err.Error()
	var exc *py.Exception
	switch e := err.(type) {
	case *py.Exception:
		exc = e
	case py.ExceptionInfo:
		exc, _ = e.Value.(*py.Exception)
	}
	if exc != nil {
		if v, ok := exc.Dict["lineno"].(py.Int); ok {
			line = int(v)
		}
		if v, ok := exc.Dict["offset"].(py.Int); ok {
			col = int(v)
		}
		if len(exc.Args.(py.Tuple)) > 0 {
			if s, ok := exc.Args.(py.Tuple)[0].(py.String); ok {
				msg = string(s)
			}
		}
	}
	return line, col, msg
}

// unexpectedIndent reports whether line is indented although the code
// line before it does not open a block.
func unexpectedIndent(src []byte, line int) bool {
	ls := strings.Split(string(src), "\n")
	if line < 2 || line > len(ls) {
		return false
	}
	cur := strings.TrimRight(ls[line-1], "\r")
	if len(cur) == 0 || (cur[0] != ' ' && cur[0] != '\t') || strings.TrimSpace(cur) == "" {
		return false
	}
	for k := line - 2; k >= 0; k-- {
		prev := strings.TrimSpace(ls[k])
		if prev == "" || strings.HasPrefix(prev, "#") {
			continue
		}
		if i := strings.Index(prev, " #"); i >= 0 {
			prev = strings.TrimSpace(prev[:i])
		}
		first := ls[k][0]
		return first != ' ' && first != '\t' && !strings.HasSuffix(prev, ":") && !strings.HasSuffix(prev, "\\") &&
			!strings.HasSuffix(prev, ",") && !strings.HasSuffix(prev, "(") && !strings.HasSuffix(prev, "[") && !strings.HasSuffix(prev, "{")
	}
	return false
}

// plainReason turns a parser message into plain words.
func plainReason(msg string) string {
	switch {
	case strings.Contains(msg, "EOL while scanning"):
		return "a string is not closed before the end of the line"
	case strings.Contains(msg, "EOF while scanning triple-quoted"):
		return "a triple-quoted string is never closed"
	case strings.Contains(msg, "unexpected EOF"):
		return "the file ends in the middle of a statement (an unclosed bracket or an empty block)"
	case strings.Contains(msg, "unindent does not match"), strings.Contains(msg, "inconsistent"):
		return "indentation does not match any outer block"
	case strings.Contains(msg, "unexpected indent"):
		return "unexpected indentation"
	case strings.Contains(msg, "invalid syntax"):
		return "invalid Python syntax"
	case strings.Contains(msg, "parser failure"):
		return "the parser could not read this statement"
	}
	return "invalid Python syntax: " + strings.Trim(msg, "' ")
}

// chunkAround returns the line range of the top-level statement that holds
// line: from the nearest statement start at or before it to the line
// before the next one. a is 0 when no statement start precedes it.
func chunkAround(starts []int, line, lines int) (a, b int) {
	i := sort.SearchInts(starts, line+1) - 1
	if i < 0 {
		return 1, lines
	}
	a = starts[i]
	b = lines
	if i+1 < len(starts) {
		b = starts[i+1] - 1
	}
	return a, b
}

// blankLines replaces every byte of lines a..b (1-based, inclusive) except
// line ends by spaces.
func blankLines(src []byte, a, b int) []byte {
	out := append([]byte(nil), src...)
	line := 1
	for i := 0; i < len(out); i++ {
		if out[i] == '\n' {
			line++
			continue
		}
		if line >= a && line <= b && out[i] != '\r' {
			out[i] = ' '
		}
	}
	return out
}

func lineOffsets(src []byte) []int {
	offs := []int{0}
	for i, c := range src {
		if c == '\n' {
			offs = append(offs, i+1)
		}
	}
	return offs
}

// extractor walks a module's statements.
type extractor struct {
	name        string
	pm          posMap
	res         *fileResult
	src         []byte
	lineStarts  []int
	fstrings    map[[2]int]bool
	unpackKeys  map[[2]int]bool
	configNames map[string]bool
	// pmIsIdentity is true for .py files, whose offsets are file offsets.
	pmIsIdentity bool
	// shift is added to offsets (a stripped byte-order mark).
	shift int
	// cond counts the enclosing statements whose body may not run (if,
	// loops, except handlers, function bodies): assignments inside are
	// Conditional.
	cond int
}

// condStmts walks a body that may not run.
func (x *extractor) condStmts(body []ast.Stmt) {
	x.cond++
	x.stmts(body)
	x.cond--
}

func (x *extractor) stmts(body []ast.Stmt) {
	for _, s := range body {
		x.stmt(s)
	}
}

func (x *extractor) stmt(s ast.Stmt) {
	switch n := s.(type) {
	case *ast.Assign:
		if call, ok := n.Value.(*ast.Call); ok && isName(call.Func, "get_config") {
			for _, t := range n.Targets {
				if nm, ok := t.(*ast.Name); ok {
					x.configNames[string(nm.Id)] = true
				}
			}
		}
		if call, ok := n.Value.(*ast.Call); ok {
			x.handoff(call, n.Lineno)
		}
		for _, t := range n.Targets {
			x.target(t, n.Value, "=")
		}
	case *ast.AugAssign:
		x.target(n.Target, n.Value, augOp(n.Op))
	case *ast.ExprStmt:
		call, ok := n.Value.(*ast.Call)
		if !ok {
			return
		}
		x.handoff(call, n.Lineno)
		if isName(call.Func, "load_subconfig") || isAttr(call.Func, "load_subconfig") {
			sc := Subconfig{File: x.name, Line: x.line(n.Lineno)}
			if len(call.Args) > 0 {
				if s, ok := call.Args[0].(*ast.Str); ok && !x.isF(s) {
					sc.Target, sc.Literal = string(s.S), true
				} else {
					sc.Target = "<computed>"
				}
			}
			x.res.subconfigs = append(x.res.subconfigs, sc)
			return
		}
		at, ok := call.Func.(*ast.Attribute)
		if !ok || !methodOps[string(at.Attr)] {
			return
		}
		trait, _, root, ok := x.traitOf(at.Value)
		if !ok {
			return
		}
		a := x.assignment(root, trait, string(at.Attr))
		if len(call.Args) == 1 && len(call.Keywords) == 0 && call.Starargs == nil && call.Kwargs == nil {
			x.setValue(&a, call.Args[0])
		} else {
			a.ValueKind = "expr"
		}
		x.add(a)
	case *ast.If:
		x.condStmts(n.Body)
		x.condStmts(n.Orelse)
	case *ast.For:
		x.condStmts(n.Body)
		x.condStmts(n.Orelse)
	case *ast.While:
		x.condStmts(n.Body)
		x.condStmts(n.Orelse)
	case *ast.With:
		x.stmts(n.Body)
	case *ast.Try:
		// The body runs (up to a raise); handlers and else may not.
		x.stmts(n.Body)
		for _, h := range n.Handlers {
			x.condStmts(h.Body)
		}
		x.condStmts(n.Orelse)
		x.stmts(n.Finalbody)
	case *ast.FunctionDef:
		x.condStmts(n.Body)
	case *ast.ClassDef:
		cd := ClassDef{File: x.name, Line: x.line(n.Lineno), Name: string(n.Name), Bases: []string{}}
		for _, b := range n.Bases {
			if d := dotted(b); d != "" {
				cd.Bases = append(cd.Bases, d)
			}
		}
		for _, b := range n.Body {
			switch m := b.(type) {
			case *ast.Assign:
				for _, t := range m.Targets {
					if nm, ok := t.(*ast.Name); ok {
						cd.Members = append(cd.Members, string(nm.Id))
					}
				}
			case *ast.FunctionDef:
				cd.Members = append(cd.Members, string(m.Name))
			}
		}
		x.res.classes = append(x.res.classes, cd)
		x.stmts(n.Body)
	case *ast.Import:
		for _, a := range n.Names {
			as := string(a.AsName)
			if as == "" {
				as = strings.SplitN(string(a.Name), ".", 2)[0]
			}
			x.res.imports = append(x.res.imports, Import{File: x.name, Line: x.line(n.Lineno), Module: string(a.Name), As: as})
		}
	case *ast.ImportFrom:
		mod := strings.Repeat(".", n.Level) + string(n.Module)
		for _, a := range n.Names {
			as := string(a.AsName)
			if as == "" {
				as = string(a.Name)
			}
			x.res.imports = append(x.res.imports, Import{File: x.name, Line: x.line(n.Lineno), Module: mod, Name: string(a.Name), As: as})
		}
	}
}

// isConfigSection reports whether e is the config object (c) or one of
// its sections (c.KubeSpawner): what a function given it may change.
func (x *extractor) isConfigSection(e ast.Expr) bool {
	if at, ok := e.(*ast.Attribute); ok {
		e = at.Value
	}
	nm, ok := e.(*ast.Name)
	return ok && x.configNames[string(nm.Id)]
}

// readOnlyBuiltins are Python built-ins that look at an object without
// changing it: passing the config to them hands nothing off.
var readOnlyBuiltins = map[string]bool{
	"print": true, "len": true, "repr": true, "str": true, "type": true, "isinstance": true,
	"id": true, "bool": true, "dir": true, "vars": true, "hasattr": true, "getattr": true,
}

// handoff records a call that hands the config object, or a section of
// it, to code the config does not show (a function from another module,
// exec of another file): Zero to JupyterHub's
// set_config_if_not_none(c.KubeSpawner, "uid", ...) is one.
func (x *extractor) handoff(call *ast.Call, lineno int) {
	fn := dotted(call.Func)
	if fn == "exec" {
		x.res.handoffs = append(x.res.handoffs, Handoff{File: x.name, Line: x.line(lineno), Call: "exec"})
		return
	}
	if readOnlyBuiltins[fn] {
		return
	}
	passes := false
	for _, a := range call.Args {
		passes = passes || x.isConfigSection(a)
	}
	for _, k := range call.Keywords {
		passes = passes || x.isConfigSection(k.Value)
	}
	if passes {
		if fn == "" {
			fn = "<expression>"
		}
		x.res.handoffs = append(x.res.handoffs, Handoff{File: x.name, Line: x.line(lineno), Call: fn})
	}
}

func (x *extractor) line(l int) int {
	ln, _ := x.pm(l, 1)
	return ln
}

func augOp(op ast.OperatorNumber) string {
	switch op {
	case ast.Add:
		return "+="
	case ast.Sub:
		return "-="
	case ast.Mult:
		return "*="
	case ast.Div:
		return "/="
	case ast.Modulo:
		return "%="
	case ast.Pow:
		return "**="
	case ast.LShift:
		return "<<="
	case ast.RShift:
		return ">>="
	case ast.BitOr:
		return "|="
	case ast.BitXor:
		return "^="
	case ast.BitAnd:
		return "&="
	case ast.FloorDiv:
		return "//="
	}
	return "op="
}

// target records an assignment to t (value v) when t is a config trait.
func (x *extractor) target(t, v ast.Expr, op string) {
	switch n := t.(type) {
	case *ast.Tuple:
		x.unpack(n.Elts, v, op)
		return
	case *ast.List:
		x.unpack(n.Elts, v, op)
		return
	case *ast.Starred:
		x.target(n.Value, nil, op)
		return
	}
	trait, item, root, ok := x.traitOf(t)
	if !ok {
		return
	}
	if item && op == "=" {
		op = "item"
	}
	a := x.assignment(root, trait, op)
	x.setValue(&a, v)
	x.add(a)
}

func (x *extractor) unpack(elts []ast.Expr, v ast.Expr, op string) {
	var vals []ast.Expr
	switch n := v.(type) {
	case *ast.Tuple:
		vals = n.Elts
	case *ast.List:
		vals = n.Elts
	}
	for _, e := range vals {
		if _, ok := e.(*ast.Starred); ok {
			vals = nil
			break
		}
	}
	for _, e := range elts {
		if _, ok := e.(*ast.Starred); ok {
			vals = nil
		}
	}
	for i, e := range elts {
		if len(vals) == len(elts) {
			x.target(e, vals[i], op)
		} else {
			x.target(e, nil, op)
		}
	}
}

// traitOf recognizes c.Class.trait, possibly followed by subscripts or
// attributes (item reports that), where c is a config object.
func (x *extractor) traitOf(e ast.Expr) (trait string, item bool, root *ast.Attribute, ok bool) {
	for {
		switch n := e.(type) {
		case *ast.Subscript:
			item = true
			e = n.Value
			continue
		case *ast.Attribute:
			cls, ok2 := n.Value.(*ast.Attribute)
			if ok2 {
				if nm, ok3 := cls.Value.(*ast.Name); ok3 && x.configNames[string(nm.Id)] {
					return string(cls.Attr) + "." + string(n.Attr), item, n, true
				}
			}
			item = true
			e = n.Value
			continue
		}
		return "", false, nil, false
	}
}

// assignment starts an Assignment at the root of the target expression.
func (x *extractor) assignment(root *ast.Attribute, trait, op string) Assignment {
	nm := root.Value.(*ast.Attribute).Value.(*ast.Name)
	line, col := x.pm(nm.Lineno, nm.ColOffset+1)
	a := Assignment{File: x.name, Line: line, Column: col, Trait: trait, Op: op, Conditional: x.cond > 0}
	// Byte offsets of the class and trait names, for fix-config.
	if nm.Lineno-1 < len(x.lineStarts) {
		off := x.lineStarts[nm.Lineno-1] + nm.ColOffset
		if cs, _, ts, te, ok := scanTraitRef(x.src, off); ok && x.pmIsIdentity {
			a.ClassStart, a.NameStart, a.NameEnd = cs+x.shift, ts+x.shift, te+x.shift
		}
	}
	return a
}

// scanTraitRef reads "c . Class . trait" at off and returns the byte
// ranges of Class and trait.
func scanTraitRef(src []byte, off int) (cs, ce, ts, te int, ok bool) {
	i := off
	ident := func() (int, int, bool) {
		a := i
		for i < len(src) && isIdentChar(src[i]) {
			i++
		}
		return a, i, i > a
	}
	ws := func() {
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
	}
	dot := func() bool {
		ws()
		if i < len(src) && src[i] == '.' {
			i++
			ws()
			return true
		}
		return false
	}
	if _, _, ok := ident(); !ok || !dot() {
		return 0, 0, 0, 0, false
	}
	if cs, ce, ok = ident(); !ok || !dot() {
		return 0, 0, 0, 0, false
	}
	if ts, te, ok = ident(); !ok {
		return 0, 0, 0, 0, false
	}
	return cs, ce, ts, te, true
}

func (x *extractor) add(a Assignment) {
	if a.Env != nil {
		a.Env.File, a.Env.Line, a.Env.Trait = a.File, a.Line, a.Trait
		// A literal default of a secret is a secret written in the file.
		if d, ok := a.Env.Default.(string); ok && d != "" {
			switch {
			case a.Trait == "JupyterHub.db_url":
				a.raw = d
				if URLHasPassword(d) {
					a.Env.Default = RedactURL(d)
					x.res.secrets = append(x.res.secrets, Secret{File: a.File, Line: a.Line, Column: a.Column, Subject: "trait:" + a.Trait, Kind: "db_password"})
				}
			case secretKind(a.Trait) != "":
				a.Env.Default = Redacted
				x.res.secrets = append(x.res.secrets, Secret{File: a.File, Line: a.Line, Column: a.Column, Subject: "trait:" + a.Trait, Kind: secretKind(a.Trait)})
			}
		}
		env := *a.Env
		a.Env = &env
		x.res.envRefs = append(x.res.envRefs, env)
	}
	x.res.addAssignment(a)
}

// addAssignment redacts secrets in a, records literal secrets and appends
// it.
func (r *fileResult) addAssignment(a Assignment) {
	if s, ok := a.Value.(string); ok && a.ValueKind == "literal" {
		a.Length = utf8.RuneCountInString(s)
	}
	if a.ValueKind == "literal" {
		kind := secretKind(a.Trait)
		if s, ok := a.Value.(string); ok && a.Trait == "JupyterHub.db_url" {
			a.raw = s
			if URLHasPassword(s) {
				r.secrets = append(r.secrets, Secret{File: a.File, Line: a.Line, Column: a.Column, Subject: "trait:" + a.Trait, Kind: kind})
			}
			a.Value = RedactURL(s)
			a.Redacted = a.Value != s
		} else if kind != "" && a.Value != nil && a.Value != "" {
			r.secrets = append(r.secrets, Secret{File: a.File, Line: a.Line, Column: a.Column, Subject: "trait:" + a.Trait, Kind: kind})
			a.Value, a.Redacted = Redacted, true
		} else {
			a.Value = redactNested(a.Value, &a.Redacted)
			if a.Redacted {
				r.secrets = append(r.secrets, Secret{File: a.File, Line: a.Line, Column: a.Column, Subject: "trait:" + a.Trait, Kind: "secret"})
			}
		}
	} else if a.decodesLiteral {
		// The value (not kept: it is an expression) is a literal of the
		// file, decoded.
		if kind := secretKind(a.Trait); kind != "" {
			r.secrets = append(r.secrets, Secret{File: a.File, Line: a.Line, Column: a.Column, Subject: "trait:" + a.Trait, Kind: kind})
		}
	}
	r.assignments = append(r.assignments, a)
}

var secretKeys sync.Map

// isSecretKey reports whether a dict key names a secret (cached).
func isSecretKey(k string) bool {
	if v, ok := secretKeys.Load(k); ok {
		return v.(bool)
	}
	v := secretRE().MatchString(k)
	secretKeys.Store(k, v)
	return v
}

// redactNested hides dict entries whose key looks like a secret and
// passwords in URLs.
func redactNested(v any, red *bool) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if isSecretKey(k) {
				out[k] = Redacted
				*red = true
				continue
			}
			out[k] = redactNested(e, red)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = redactNested(e, red)
		}
		return out
	case string:
		if r := RedactURL(t); r != t {
			*red = true
			return r
		}
	}
	return v
}

func (x *extractor) isF(s *ast.Str) bool {
	return x.fstrings[[2]int{s.Lineno, s.ColOffset}]
}

// setValue fills the value fields of a from the expression v.
func (x *extractor) setValue(a *Assignment, v ast.Expr) {
	if v == nil {
		a.ValueKind = "expr"
		return
	}
	if env := x.envRef(v); env != nil {
		a.ValueKind, a.Env = "env", env
		return
	}
	if val, kind := x.literal(v); kind == "literal" {
		a.ValueKind, a.Value = "literal", val
		return
	} else if kind == "fstring" {
		a.ValueKind = "fstring"
		return
	}
	if d := dotted(v); d != "" {
		a.ValueKind, a.Ref = "name", d
		return
	}
	a.ValueKind = "expr"
	a.decodesLiteral = decodesLiteral(v)
}

// literalDecoders are the calls that turn a literal written in the file
// into a secret's bytes, as in c.JupyterHub.cookie_secret =
// bytes.fromhex("c336...").
var literalDecoders = map[string]bool{
	"bytes.fromhex": true, "binascii.unhexlify": true, "binascii.a2b_hex": true, "unhexlify": true, "a2b_hex": true,
	"base64.b64decode": true, "base64.urlsafe_b64decode": true, "base64.standard_b64decode": true,
	"b64decode": true, "urlsafe_b64decode": true,
}

// minSecretLiteral is the length from which a decoded literal counts as a
// secret written in the file (a 32-byte cookie secret is 64 hex digits;
// shorter literals are placeholders such as bytes.fromhex("00")).
const minSecretLiteral = 16

// decodesLiteral reports whether v decodes a string or bytes literal of
// the file: a call of literalDecoders on it, or its .encode()/.decode().
// Reading a file or the environment (open(...), os.environ[...]) is not.
func decodesLiteral(v ast.Expr) bool {
	call, ok := v.(*ast.Call)
	if !ok {
		return false
	}
	long := func(e ast.Expr) bool {
		switch l := e.(type) {
		case *ast.Str:
			return len(l.S) >= minSecretLiteral
		case *ast.Bytes:
			return len(l.S) >= minSecretLiteral
		}
		return false
	}
	if literalDecoders[dotted(call.Func)] {
		return len(call.Args) > 0 && long(call.Args[0])
	}
	if at, ok := call.Func.(*ast.Attribute); ok && (at.Attr == "encode" || at.Attr == "decode") {
		return long(at.Value)
	}
	return false
}

// envRef recognizes os.environ.get("X"[, d]), os.getenv("X"[, d]) and
// os.environ["X"].
func (x *extractor) envRef(v ast.Expr) *EnvRef {
	switch n := v.(type) {
	case *ast.Call:
		f := dotted(n.Func)
		if f != "os.environ.get" && f != "os.getenv" && f != "environ.get" && f != "getenv" {
			return nil
		}
		if len(n.Args) == 0 {
			return nil
		}
		name, ok := n.Args[0].(*ast.Str)
		if !ok || x.isF(name) {
			return nil
		}
		ref := &EnvRef{Var: string(name.S)}
		if len(n.Args) > 1 {
			ref.HasDefault = true
			if d, kind := x.literal(n.Args[1]); kind == "literal" {
				ref.Default = d
			}
		}
		return ref
	case *ast.Subscript:
		if f := dotted(n.Value); f != "os.environ" && f != "environ" {
			return nil
		}
		if idx, ok := n.Slice.(*ast.Index); ok {
			if s, ok := idx.Value.(*ast.Str); ok && !x.isF(s) {
				return &EnvRef{Var: string(s.S)}
			}
		}
	}
	return nil
}

// literal returns the Go value of a literal expression and "literal", or
// kind "fstring" / "expr".
func (x *extractor) literal(v ast.Expr) (any, string) {
	switch n := v.(type) {
	case *ast.Str:
		if x.isF(n) {
			return nil, "fstring"
		}
		return string(n.S), "literal"
	case *ast.Bytes:
		return string(n.S), "literal"
	case *ast.NameConstant:
		switch n.Value {
		case py.True:
			return true, "literal"
		case py.False:
			return false, "literal"
		}
		return nil, "literal"
	case *ast.Num:
		return numValue(n.N)
	case *ast.UnaryOp:
		if num, ok := n.Operand.(*ast.Num); ok && (n.Op == ast.USub || n.Op == ast.UAdd) {
			val, kind := numValue(num.N)
			if kind != "literal" || n.Op == ast.UAdd {
				return val, kind
			}
			switch t := val.(type) {
			case int64:
				return -t, kind
			case float64:
				return -t, kind
			case *big.Int:
				return new(big.Int).Neg(t), kind
			}
		}
	case *ast.List:
		return x.literalList(n.Elts)
	case *ast.Tuple:
		return x.literalList(n.Elts)
	case *ast.Set:
		return x.literalList(n.Elts)
	case *ast.Dict:
		out := make(map[string]any, len(n.Keys))
		for i, k := range n.Keys {
			if num, ok := k.(*ast.Num); ok && x.unpackKeys[[2]int{num.Lineno, num.ColOffset}] {
				return nil, "expr"
			}
			kv, kk := x.literal(k)
			if kk != "literal" {
				return nil, kk
			}
			vv, vk := x.literal(n.Values[i])
			if vk != "literal" {
				return nil, vk
			}
			out[keyString(kv)] = vv
		}
		return out, "literal"
	}
	return nil, "expr"
}

func (x *extractor) literalList(elts []ast.Expr) (any, string) {
	out := make([]any, 0, len(elts))
	for _, e := range elts {
		if x.unpackKeys[[2]int{e.GetLineno(), e.GetColOffset()}] {
			return nil, "expr"
		}
		v, k := x.literal(e)
		if k != "literal" {
			return nil, k
		}
		out = append(out, v)
	}
	return out, "literal"
}

func numValue(o py.Object) (any, string) {
	switch t := o.(type) {
	case py.Int:
		return int64(t), "literal"
	case *py.BigInt:
		return (*big.Int)(t), "literal"
	case py.Float:
		return float64(t), "literal"
	}
	return nil, "expr"
}

// keyString renders a literal dict key as a JSON object key (Python's
// str() of the key).
func keyString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		if t {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	}
	return fmt.Sprint(v)
}

func isName(e ast.Expr, name string) bool {
	n, ok := e.(*ast.Name)
	return ok && string(n.Id) == name
}

func isAttr(e ast.Expr, name string) bool {
	n, ok := e.(*ast.Attribute)
	return ok && string(n.Attr) == name
}

// dotted renders a Name or a chain of attributes ("a.b.c"), "" otherwise.
func dotted(e ast.Expr) string {
	switch n := e.(type) {
	case *ast.Name:
		return string(n.Id)
	case *ast.Attribute:
		if d := dotted(n.Value); d != "" {
			return d + "." + string(n.Attr)
		}
	}
	return ""
}
