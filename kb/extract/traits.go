package extract

import (
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/go-python/gpython/ast"
	"github.com/go-python/gpython/py"

	"github.com/hubaudit/hubaudit/checks/config"
)

// Class is one configurable class of the release, in the shape of the
// classes and traits fact tables.
type Class struct {
	Name   string
	Module string
	// Bases are the base-class expressions' last dotted components, in
	// declaration order.
	Bases []string
	// Factory is the module-level function the class is defined in, if
	// any (SingleUserNotebookApp is built by make_singleuser_app).
	Factory string
	// Traits are the config traits the class declares itself, then the
	// names only its alias tables know (alias-only rows), by name.
	Traits []Trait
	// OwnConfigTraits counts the declared config traits (not alias rows).
	OwnConfigTraits int
}

// Trait is one config trait (or alias-only name) of a class.
type Trait struct {
	Name string
	// Type is the trait constructor's name (Unicode, Integer, Command...),
	// empty for alias-only rows.
	Type string
	// Default is the literal default rendered as a Python literal, when
	// the default is a literal.
	Default string
	// DefaultKind: literal, none (the type's own default), method (a
	// @default method computes it), ref (a bare name), expr.
	DefaultKind string
	DefaultRef  string
	// HasDefaultMethod is true when a @default('x') or _x_default method
	// of the same class computes the default.
	HasDefaultMethod bool
	// Kind is "trait" or "alias-only-ignored" (only an alias table knows
	// the name: setting it has no effect).
	Kind string
	// Deprecated is "yes", "mention" (the help mentions a deprecation in
	// passing) or "no".
	Deprecated string
	// Evidence lists the deprecation evidence: alias:<table>,
	// observer:<method>, help, value-check:<method>, alias-only:<table>.
	Evidence []string
	// Since is the version the source states for the deprecation.
	Since string
	// Replacement is the Class.trait that replaces it, when the source
	// names one.
	Replacement string
	// VersionAdded and VersionChanged are the versions of the help's
	// versionadded / versionchanged directives, comma-separated.
	VersionAdded, VersionChanged string
}

// classInfo is what one class statement holds, before the configurable
// classes are chosen.
type classInfo struct {
	Class
	help      map[string]string
	aliases   []aliasTable
	dicts     map[string][]string
	observers []observer
	validated map[string]string // trait -> validate method that warns of deprecation
	defaults  map[string]bool
	// lists are the class-level lists of strings, by name.
	lists map[string][]string
	// configHooks are the attributes a @validate('config') method reads:
	// an alias table it names is applied to the config before traitlets
	// loads it (kubespawner's _handle_deprecated_config).
	configHooks map[string]bool
}

type aliasTable struct {
	name    string
	entries map[string]aliasEntry
	order   []string
}

type aliasEntry struct{ newName, version string }

type observer struct {
	method   string
	names    []string
	strs     []string
	warnsDep bool
}

// configBaseRE matches the external bases that make a class configurable
// even without traits of its own: traitlets' Application and the Jupyter
// applications built on it.
var configBaseRE = regexp.MustCompile(`(App|Application)$`)

// classes reads every class statement of the package (module level, in
// if/try blocks, and inside module-level functions) and returns the
// configurable ones sorted by name: those that declare config traits or
// alias tables, or that inherit from such a class or from an application
// base.
func (p *Package) classes() ([]Class, error) {
	var all []*classInfo
	for _, f := range p.pyFiles(p.pkgDir()) {
		if strings.HasPrefix(f, "jupyterhub/alembic/") || strings.Contains(f, "/tests/") {
			continue
		}
		mod := p.module(f)
		if len(mod.Body) == 0 && len(mod.Errors) > 0 {
			return nil, fmt.Errorf("%s: line %d: %s", f, mod.Errors[0].Line, mod.Errors[0].Reason)
		}
		module := strings.TrimSuffix(strings.ReplaceAll(strings.TrimSuffix(f, ".py"), "/", "."), ".__init__")
		var visit func(body []ast.Stmt, factory string, top bool)
		visit = func(body []ast.Stmt, factory string, top bool) {
			for _, s := range body {
				switch n := s.(type) {
				case *ast.ClassDef:
					all = append(all, readClass(mod, n, module, factory))
				case *ast.FunctionDef:
					if top {
						visit(n.Body, string(n.Name), false)
					}
				case *ast.If:
					visit(n.Body, factory, top)
					visit(n.Orelse, factory, top)
				case *ast.Try:
					visit(n.Body, factory, top)
					visit(n.Orelse, factory, top)
				}
			}
		}
		visit(mod.Body, "", true)
	}
	byName := map[string][]*classInfo{}
	for _, c := range all {
		byName[c.Name] = append(byName[c.Name], c)
	}
	memo := map[*classInfo]int{} // 0 unknown, 1 yes, 2 no, 3 visiting
	var configurable func(c *classInfo) bool
	configurable = func(c *classInfo) bool {
		switch memo[c] {
		case 1:
			return true
		case 2, 3:
			return false
		}
		memo[c] = 3
		ok := c.OwnConfigTraits > 0 || len(c.aliases) > 0
		for _, b := range c.Bases {
			if ok {
				break
			}
			if len(byName[b]) == 0 && (configBaseRE.MatchString(b) || p.external != nil && p.external(b)) {
				ok = true
			}
			for _, bc := range byName[b] {
				if bc != c && configurable(bc) {
					ok = true
				}
			}
		}
		memo[c] = 2
		if ok {
			memo[c] = 1
		}
		return ok
	}
	seen := map[string]bool{}
	var out []*classInfo
	for _, c := range all {
		if configurable(c) && !seen[c.Name] {
			seen[c.Name] = true
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	idx := map[string]*classInfo{}
	for _, c := range out {
		idx[c.Name] = c
	}
	used, complete := p.referencedNames()
	res := make([]Class, len(out))
	for i, c := range out {
		deprecations(c, idx)
		for j := range c.Traits {
			if t := &c.Traits[j]; complete && t.Kind == "trait" && !used[t.Name] {
				// Declared, so traitlets accepts it without a word,
				// but no code reads it: setting it does nothing.
				t.Kind = "trait-unused"
				t.Evidence = append(t.Evidence, "unread")
				t.Deprecated = "yes"
			}
		}
		res[i] = c.Class
	}
	return res, nil
}

// readClass reads one class statement's config traits, alias tables,
// observers, validators and default methods.
func readClass(mod *config.Module, n *ast.ClassDef, module, factory string) *classInfo {
	c := &classInfo{Class: Class{Name: string(n.Name), Module: module, Factory: factory},
		help: map[string]string{}, dicts: map[string][]string{}, validated: map[string]string{}, defaults: map[string]bool{},
		lists: map[string][]string{}, configHooks: map[string]bool{}}
	for _, b := range n.Bases {
		if d := lastDotted(b); d != "" {
			c.Bases = append(c.Bases, d)
		}
	}
	for _, s := range n.Body {
		switch st := s.(type) {
		case *ast.Assign:
			if len(st.Targets) > 1 {
				// tls = tls_verify = Any(...): one trait object under
				// several names, each of them configurable.
				for _, tg := range st.Targets {
					if name, ok := tg.(*ast.Name); ok {
						if t, help, ok := readTrait(mod, string(name.Id), st.Value); ok {
							c.Traits = append(c.Traits, t)
							c.help[t.Name] = help
							c.OwnConfigTraits++
						}
					}
				}
				continue
			}
			name, ok := st.Targets[0].(*ast.Name)
			if !ok {
				continue
			}
			if d, ok := st.Value.(*ast.Dict); ok {
				var keys []string
				for _, k := range d.Keys {
					if s := strValue(k); s != "" {
						keys = append(keys, s)
					}
				}
				c.dicts[string(name.Id)] = keys
				if strings.HasPrefix(string(name.Id), "_deprecated_") {
					c.aliases = append(c.aliases, readAliases(string(name.Id), d))
				}
				continue
			}
			if l, ok := st.Value.(*ast.List); ok {
				var items []string
				for _, e := range l.Elts {
					if s := strValue(e); s != "" {
						items = append(items, s)
					}
				}
				c.lists[string(name.Id)] = items
				continue
			}
			if t, help, ok := readTrait(mod, string(name.Id), st.Value); ok {
				c.Traits = append(c.Traits, t)
				c.help[t.Name] = help
				c.OwnConfigTraits++
			}
		case *ast.FunctionDef:
			c.readMethod(st)
		case *ast.For:
			c.readAliasLoop(st)
		}
	}
	return c
}

// readAliasLoop reads a class-level loop that fills an alias table from a
// list of old names, as kubespawner's does:
//
//	for old in _deprecated_traits_09:
//	    new = old.split('_', 1)[1]
//	    _deprecated_traits[old] = (new, '0.9')
//
// The new name must be a literal or old.split(sep, n)[i] of the loop
// variable; any other loop is left alone.
func (c *classInfo) readAliasLoop(f *ast.For) {
	loopVar, ok := f.Target.(*ast.Name)
	if !ok {
		return
	}
	iter, ok := f.Iter.(*ast.Name)
	if !ok {
		return
	}
	olds, ok := c.lists[string(iter.Id)]
	if !ok {
		return
	}
	locals := map[string]ast.Expr{}
	for _, s := range f.Body {
		as, ok := s.(*ast.Assign)
		if !ok || len(as.Targets) != 1 {
			return
		}
		switch t := as.Targets[0].(type) {
		case *ast.Name:
			locals[string(t.Id)] = as.Value
		case *ast.Subscript:
			table, ok := t.Value.(*ast.Name)
			idx, ok2 := t.Slice.(*ast.Index)
			if !ok || !ok2 || !isName(idx.Value, string(loopVar.Id)) {
				return
			}
			tup, ok := as.Value.(*ast.Tuple)
			if !ok || len(tup.Elts) == 0 {
				return
			}
			var tb *aliasTable
			for i := range c.aliases {
				if c.aliases[i].name == string(table.Id) {
					tb = &c.aliases[i]
				}
			}
			if tb == nil {
				return
			}
			newExpr := tup.Elts[0]
			if n, ok := newExpr.(*ast.Name); ok && locals[string(n.Id)] != nil {
				newExpr = locals[string(n.Id)]
			}
			for _, old := range olds {
				newName, ok := splitOf(newExpr, string(loopVar.Id), old)
				if !ok {
					return
				}
				e := aliasEntry{newName: newName}
				if len(tup.Elts) > 1 {
					e.version = strValue(tup.Elts[1])
				}
				if _, dup := tb.entries[old]; !dup {
					tb.order = append(tb.order, old)
				}
				tb.entries[old] = e
			}
		default:
			return
		}
	}
}

// splitOf evaluates e for the loop variable v = old: a string literal, or
// v.split(sep, n)[i].
func splitOf(e ast.Expr, v, old string) (string, bool) {
	if s, ok := e.(*ast.Str); ok {
		return string(s.S), true
	}
	sub, ok := e.(*ast.Subscript)
	if !ok {
		return "", false
	}
	idx, ok := sub.Slice.(*ast.Index)
	if !ok {
		return "", false
	}
	i, ok := number(idx.Value)
	call, ok2 := sub.Value.(*ast.Call)
	if !ok || !ok2 || len(call.Args) == 0 || len(call.Args) > 2 {
		return "", false
	}
	attr, ok := call.Func.(*ast.Attribute)
	if !ok || string(attr.Attr) != "split" || !isName(attr.Value, v) {
		return "", false
	}
	sep := strValue(call.Args[0])
	if sep == "" {
		return "", false
	}
	n := -1
	if len(call.Args) == 2 {
		m, ok := number(call.Args[1])
		if !ok || !m.isInt() {
			return "", false
		}
		n = int(m.toFloat()) + 1
	}
	if !i.isInt() {
		return "", false
	}
	parts := strings.SplitN(old, sep, n)
	k := int(i.toFloat())
	if k < 0 || k >= len(parts) {
		return "", false
	}
	return parts[k], true
}

// readAliases reads a _deprecated_* table: {"old": ("new", "version"), ...}
// (or "old": "new").
func readAliases(name string, d *ast.Dict) aliasTable {
	t := aliasTable{name: name, entries: map[string]aliasEntry{}}
	for i, k := range d.Keys {
		old := strValue(k)
		if old == "" {
			continue
		}
		var e aliasEntry
		switch v := d.Values[i].(type) {
		case *ast.Tuple:
			if len(v.Elts) > 0 {
				e.newName = strValue(v.Elts[0])
			}
			if len(v.Elts) > 1 {
				e.version = strValue(v.Elts[1])
			}
		case *ast.Str:
			e.newName = string(v.S)
		}
		t.entries[old] = e
		t.order = append(t.order, old)
	}
	return t
}

// readMethod records @observe/@validate/@default decorated methods and the
// old-style _x_changed / _x_default names.
func (c *classInfo) readMethod(f *ast.FunctionDef) {
	name := string(f.Name)
	strs := bodyStrings(f.Body)
	warns := false
	for _, s := range strs {
		warns = warns || strings.Contains(strings.ToLower(s), "deprecat")
	}
	for _, d := range f.DecoratorList {
		call, ok := d.(*ast.Call)
		if !ok {
			continue
		}
		switch lastDotted(call.Func) {
		case "observe":
			c.observers = append(c.observers, observer{method: name, names: c.decoratorNames(call), strs: strs, warnsDep: warns})
		case "validate":
			names := c.decoratorNames(call)
			if warns {
				for _, n := range names {
					c.validated[n] = name
				}
			}
			if contains(names, "config") {
				for _, s := range f.Body {
					ast.Walk(s, func(n ast.Ast) bool {
						if a, ok := n.(*ast.Attribute); ok {
							c.configHooks[string(a.Attr)] = true
						}
						return true
					})
				}
			}
		case "default":
			for _, n := range c.decoratorNames(call) {
				c.defaults[n] = true
			}
		}
	}
	if t, ok := strings.CutSuffix(name, "_changed"); ok && strings.HasPrefix(t, "_") && len(t) > 1 && !c.observes(name) {
		c.observers = append(c.observers, observer{method: name, names: []string{t[1:]}, strs: strs, warnsDep: warns})
	}
	if t, ok := strings.CutSuffix(name, "_default"); ok && strings.HasPrefix(t, "_") && len(t) > 1 {
		c.defaults[t[1:]] = true
	}
}

// observes reports whether method is already recorded as an observer.
func (c *classInfo) observes(method string) bool {
	for _, o := range c.observers {
		if o.method == method {
			return true
		}
	}
	return false
}

// decoratorNames returns the trait names a decorator names: strings, and
// the keys of a class-level dict passed as *table or *list(table).
func (c *classInfo) decoratorNames(call *ast.Call) []string {
	var out []string
	add := func(e ast.Expr) {
		if s := strValue(e); s != "" {
			out = append(out, s)
			return
		}
		if st, ok := e.(*ast.Starred); ok {
			e = st.Value
		}
		if cl, ok := e.(*ast.Call); ok && isName(cl.Func, "list") && len(cl.Args) == 1 {
			e = cl.Args[0]
		}
		if n, ok := e.(*ast.Name); ok {
			out = append(out, c.dicts[string(n.Id)]...)
			for _, t := range c.aliases {
				if t.name == string(n.Id) && len(c.dicts[t.name]) == 0 {
					out = append(out, t.order...)
				}
			}
		}
	}
	for _, a := range call.Args {
		add(a)
	}
	if call.Starargs != nil {
		add(call.Starargs)
	}
	return out
}

// bodyStrings returns the string constants of a function body, its
// docstring left out.
func bodyStrings(body []ast.Stmt) []string {
	var out []string
	for i, s := range body {
		if e, ok := s.(*ast.ExprStmt); ok && i == 0 {
			if _, ok := e.Value.(*ast.Str); ok {
				continue
			}
		}
		ast.Walk(s, func(n ast.Ast) bool {
			if st, ok := n.(*ast.Str); ok {
				out = append(out, string(st.S))
			}
			return true
		})
	}
	return out
}

// readTrait reads "name = Ctor(...)" with config=True (as a keyword or in
// a chained .tag(config=True)).
func readTrait(mod *config.Module, name string, v ast.Expr) (Trait, string, bool) {
	call, ok := v.(*ast.Call)
	if !ok {
		return Trait{}, "", false
	}
	isConfig := false
	var tagHelp string
	// Unwind .tag(...) chains down to the constructor call.
	for {
		at, ok := call.Func.(*ast.Attribute)
		if !ok || string(at.Attr) != "tag" {
			break
		}
		for _, k := range call.Keywords {
			if string(k.Arg) == "config" && isTrue(k.Value) {
				isConfig = true
			}
			if string(k.Arg) == "help" {
				tagHelp = strValue(k.Value)
			}
		}
		inner, ok := at.Value.(*ast.Call)
		if !ok {
			return Trait{}, "", false
		}
		call = inner
	}
	ctor := lastDotted(call.Func)
	if ctor == "" || !isUpper(ctor[0]) {
		return Trait{}, "", false
	}
	help := tagHelp
	var defaultArg ast.Expr
	hasDefaultKw := false
	for _, k := range call.Keywords {
		switch string(k.Arg) {
		case "config":
			if isTrue(k.Value) {
				isConfig = true
			}
		case "help":
			help = strValue(k.Value)
		case "default_value":
			defaultArg, hasDefaultKw = k.Value, true
		}
	}
	if !isConfig {
		return Trait{}, "", false
	}
	t := Trait{Name: name, Type: ctor, Kind: "trait", DefaultKind: "none"}
	if !hasDefaultKw {
		pos := 0
		switch ctor {
		case "Enum", "CaselessStrEnum", "UseEnum", "FuzzyEnum":
			pos = 1
		case "Instance", "ForwardDeclaredInstance", "Union":
			pos = -1
		}
		if pos >= 0 && pos < len(call.Args) {
			defaultArg = call.Args[pos]
			// A container's first argument may be its element trait.
			if c, ok := defaultArg.(*ast.Call); ok && pos == 0 && isContainer(ctor) && !isTraitless(c) {
				defaultArg = nil
			}
		}
	}
	if defaultArg != nil {
		if s, ok := literal(mod, defaultArg); ok {
			t.Default, t.DefaultKind = s, "literal"
		} else if n, ok := defaultArg.(*ast.Name); ok {
			t.DefaultKind, t.DefaultRef = "ref", string(n.Id)
		} else {
			t.DefaultKind = "expr"
		}
	}
	t.VersionAdded = directiveVersions(help, "versionadded")
	t.VersionChanged = directiveVersions(help, "versionchanged")
	return t, help, true
}

func isContainer(ctor string) bool {
	switch ctor {
	case "List", "Set", "Tuple", "Dict", "Command":
		return true
	}
	return false
}

// isTraitless reports whether a call in a container's first argument is a
// value (set(), dict()) rather than an element trait.
func isTraitless(c *ast.Call) bool {
	n := lastDotted(c.Func)
	return n == "set" || n == "dict" || n == "list" || n == "tuple"
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

func isTrue(e ast.Expr) bool {
	n, ok := e.(*ast.NameConstant)
	return ok && n.Value == py.True
}

// lastDotted returns the last component of a dotted name expression.
func lastDotted(e ast.Expr) string {
	switch n := e.(type) {
	case *ast.Name:
		return string(n.Id)
	case *ast.Attribute:
		return string(n.Attr)
	}
	return ""
}

var directiveRE = map[string]*regexp.Regexp{
	"versionadded":   regexp.MustCompile(`\.\.\s*versionadded::\s*([0-9][0-9A-Za-z.]*)`),
	"versionchanged": regexp.MustCompile(`\.\.\s*versionchanged::\s*([0-9][0-9A-Za-z.]*)`),
}

// directiveVersions lists the versions of one directive in a help text.
func directiveVersions(help, directive string) string {
	var vs []string
	for _, m := range directiveRE[directive].FindAllStringSubmatch(help, -1) {
		v := strings.TrimRight(m[1], ".")
		if !contains(vs, v) {
			vs = append(vs, v)
		}
	}
	return strings.Join(vs, ",")
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// maxLiteral is the longest literal default recorded as it is.
const maxLiteral = 120

// literal renders a literal expression the way Python's repr does (sets
// sorted, constant arithmetic evaluated); ok is false for anything else.
func literal(mod *config.Module, e ast.Expr) (string, bool) {
	s, ok := render(mod, e)
	if ok && len(s) > maxLiteral {
		if str, isStr := e.(*ast.Str); isStr {
			return fmt.Sprintf("<long str literal, %d chars>", len([]rune(string(str.S)))), true
		}
		return fmt.Sprintf("<long literal, %d chars>", len(s)), true
	}
	return s, ok
}

func render(mod *config.Module, e ast.Expr) (string, bool) {
	switch n := e.(type) {
	case *ast.Str:
		if mod.IsFString(n) {
			return "", false
		}
		return pyRepr(string(n.S)), true
	case *ast.NameConstant:
		switch n.Value {
		case py.True:
			return "True", true
		case py.False:
			return "False", true
		}
		return "None", true
	case *ast.Num, *ast.UnaryOp, *ast.BinOp:
		v, ok := number(e)
		if !ok {
			return "", false
		}
		return v.String(), true
	case *ast.List, *ast.Tuple, *ast.Set:
		var elts []ast.Expr
		open, close := "[", "]"
		switch c := n.(type) {
		case *ast.List:
			elts = c.Elts
		case *ast.Tuple:
			elts, open, close = c.Elts, "(", ")"
		case *ast.Set:
			elts, open, close = c.Elts, "{", "}"
		}
		parts := make([]string, len(elts))
		for i, x := range elts {
			s, ok := render(mod, x)
			if !ok {
				return "", false
			}
			parts[i] = s
		}
		if open == "{" {
			sort.Strings(parts)
		}
		out := open + strings.Join(parts, ", ")
		if open == "(" && len(parts) == 1 {
			out += ","
		}
		return out + close, true
	case *ast.Dict:
		parts := make([]string, len(n.Keys))
		for i := range n.Keys {
			k, ok1 := render(mod, n.Keys[i])
			v, ok2 := render(mod, n.Values[i])
			if !ok1 || !ok2 {
				return "", false
			}
			parts[i] = k + ": " + v
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	}
	return "", false
}

// num is a Python number: an integer or a float.
type num struct {
	i     *big.Int
	f     float64
	float bool
}

func (n num) String() string {
	if !n.float {
		return n.i.String()
	}
	s := strconv.FormatFloat(n.f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// isInt reports whether n is an integer that fits an int.
func (n num) isInt() bool { return !n.float && n.i.IsInt64() && n.i.Int64() == int64(int(n.i.Int64())) }

func (n num) toFloat() float64 {
	if n.float {
		return n.f
	}
	f, _ := new(big.Float).SetInt(n.i).Float64()
	return f
}

// number evaluates constant arithmetic (24 * 3600, -1, 2**20).
func number(e ast.Expr) (num, bool) {
	switch n := e.(type) {
	case *ast.Num:
		switch t := n.N.(type) {
		case py.Int:
			return num{i: big.NewInt(int64(t))}, true
		case *py.BigInt:
			return num{i: new(big.Int).Set((*big.Int)(t))}, true
		case py.Float:
			return num{f: float64(t), float: true}, true
		}
	case *ast.UnaryOp:
		v, ok := number(n.Operand)
		if !ok {
			return num{}, false
		}
		switch n.Op {
		case ast.UAdd:
			return v, true
		case ast.USub:
			if v.float {
				return num{f: -v.f, float: true}, true
			}
			return num{i: new(big.Int).Neg(v.i)}, true
		}
	case *ast.BinOp:
		a, ok1 := number(n.Left)
		b, ok2 := number(n.Right)
		if !ok1 || !ok2 {
			return num{}, false
		}
		if !a.float && !b.float {
			switch n.Op {
			case ast.Add:
				return num{i: new(big.Int).Add(a.i, b.i)}, true
			case ast.Sub:
				return num{i: new(big.Int).Sub(a.i, b.i)}, true
			case ast.Mult:
				return num{i: new(big.Int).Mul(a.i, b.i)}, true
			case ast.Pow:
				if b.i.Sign() >= 0 && b.i.BitLen() < 16 {
					return num{i: new(big.Int).Exp(a.i, b.i, nil)}, true
				}
			}
		}
		x, y := a.toFloat(), b.toFloat()
		switch n.Op {
		case ast.Add:
			return num{f: x + y, float: true}, true
		case ast.Sub:
			return num{f: x - y, float: true}, true
		case ast.Mult:
			return num{f: x * y, float: true}, true
		case ast.Div:
			if y != 0 {
				return num{f: x / y, float: true}, true
			}
		}
	}
	return num{}, false
}

// pyRepr renders a string as Python's repr does.
func pyRepr(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

var (
	sinceRE   = regexp.MustCompile(`(?i)deprecat(?:ed|ion)(?:\s+(?:since|in|as of))?(?:\s+jupyterhub)?(?:\s+version)?(?:\s+jupyterhub)?[\s-]*v?([0-9]+(?:\.[0-9*]+)+)`)
	dirRE     = regexp.MustCompile(`\.\.\s*deprecated::?\s*v?([0-9]+(?:\.[0-9*]+)*)`)
	useRE     = regexp.MustCompile(`(?i)\b(?:use|consider using)\s+` + "`*" + `(?:c\.)?([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)`)
	dirMarkRE = regexp.MustCompile(`\.\.\s*deprecated::?`)
	lineRE    = regexp.MustCompile(`(?m)^\s*Deprecated\s+(?:in|since)\b.*$`)
	// otherRE is a line about something else's deprecation: "Deprecated
	// in version 3 of LDAP" (ldapauthenticator's use_ssl before 2.0).
	otherRE = regexp.MustCompile(`^\s*Deprecated\s+in\s+version\s+[0-9]+\s+of\s`)
)

// helpDeprecated classifies a help text: "yes" when it marks the trait
// deprecated (starts with Deprecated, a .. deprecated:: directive, an
// upper-case DEPRECATED, PENDING DEPRECATION, a line starting "Deprecated
// in/since"), "mention" when it only mentions a deprecation, else "no".
func helpDeprecated(help string) string {
	t := strings.TrimSpace(help)
	switch {
	case strings.HasPrefix(strings.ToLower(t), "deprecated"), dirMarkRE.MatchString(t),
		strings.Contains(t, "DEPRECATED"), strings.Contains(t, "PENDING DEPRECATION"), markLine(t):
		return "yes"
	case strings.Contains(strings.ToLower(t), "deprecat"):
		return "mention"
	}
	return "no"
}

// markLine reports whether a line of the help starts "Deprecated in" or
// "Deprecated since" about the trait itself.
func markLine(help string) bool {
	for _, l := range lineRE.FindAllString(help, -1) {
		if !otherRE.MatchString(l) {
			return true
		}
	}
	return false
}

// statedVersion returns the version a text states for a deprecation.
func statedVersion(text string) string {
	if m := dirRE.FindStringSubmatch(text); m != nil {
		return normVersion(m[1])
	}
	if m := sinceRE.FindStringSubmatch(text); m != nil {
		return normVersion(m[1])
	}
	return ""
}

func normVersion(v string) string {
	v = strings.TrimRight(strings.ReplaceAll(v, "*", ""), ".")
	return v
}

// deprecations fills each trait's deprecation columns from the class's
// alias tables (own or inherited), its observers and validators, and the
// help text, and adds the alias-only rows.
func deprecations(c *classInfo, idx map[string]*classInfo) {
	own := map[string]bool{}
	for _, t := range c.Traits {
		own[t.Name] = true
	}
	// Alias tables of the class and its bases, nearest first.
	type found struct {
		table string
		cls   string
		e     aliasEntry
	}
	aliasOf := func(name string) (found, bool) {
		seen := map[string]bool{}
		var walk func(cl *classInfo) (found, bool)
		walk = func(cl *classInfo) (found, bool) {
			if cl == nil || seen[cl.Name] {
				return found{}, false
			}
			seen[cl.Name] = true
			for _, t := range cl.aliases {
				if e, ok := t.entries[name]; ok {
					return found{t.name, cl.Name, e}, true
				}
			}
			for _, b := range cl.Bases {
				if f, ok := walk(idx[b]); ok {
					return f, ok
				}
			}
			return found{}, false
		}
		return walk(c)
	}
	for i := range c.Traits {
		t := &c.Traits[i]
		help := c.help[t.Name]
		t.HasDefaultMethod = c.defaults[t.Name]
		if t.HasDefaultMethod {
			t.DefaultKind = "method"
		}
		var since, repl []string
		if f, ok := aliasOf(t.Name); ok {
			t.Evidence = append(t.Evidence, "alias:"+f.table)
			since = append(since, normVersion(f.e.version))
			if f.e.newName != "" {
				repl = append(repl, f.cls+"."+f.e.newName)
			}
		}
		for _, o := range c.observers {
			if o.warnsDep && contains(o.names, t.Name) {
				t.Evidence = append(t.Evidence, "observer:"+o.method)
				text := strings.Join(o.strs, " ")
				since = append(since, statedVersion(text))
				for _, m := range useRE.FindAllStringSubmatch(text, -1) {
					if q := qualify(c, idx, t.Name, m[1]); q != "" {
						repl = append(repl, q)
						break
					}
				}
			}
		}
		hd := helpDeprecated(help)
		if hd == "yes" {
			t.Evidence = append(t.Evidence, "help")
			since = append(since, statedVersion(help))
			for _, m := range useRE.FindAllStringSubmatch(help, -1) {
				if q := qualify(c, idx, t.Name, m[1]); q != "" {
					repl = append(repl, q)
					break
				}
			}
		}
		if m, ok := c.validated[t.Name]; ok {
			t.Evidence = append(t.Evidence, "value-check:"+m+"(validate)")
		}
		t.Deprecated = "no"
		for _, e := range t.Evidence {
			if !strings.HasPrefix(e, "value-check:") {
				t.Deprecated = "yes"
			}
		}
		if t.Deprecated == "no" && hd == "mention" {
			t.Deprecated = "mention"
		}
		if t.Deprecated == "yes" {
			t.Since = first(since)
			t.Replacement = first(repl)
		}
	}
	// Names only the class's own alias tables know: setting them does
	// nothing but warn that the option is not recognized.
	for _, tb := range c.aliases {
		for _, old := range tb.order {
			if own[old] || inherited(c, idx, old) {
				continue
			}
			own[old] = true
			e := tb.entries[old]
			t := Trait{Name: old, Kind: "alias-only-ignored", Deprecated: "yes", Evidence: []string{"alias-only:" + tb.name}, Since: normVersion(e.version), DefaultKind: "none"}
			if c.configHooks[tb.name] {
				t.Kind = "alias-only-honored"
			}
			if e.newName != "" {
				t.Replacement = c.Name + "." + e.newName
			}
			c.Traits = append(c.Traits, t)
		}
	}
	sort.SliceStable(c.Traits, func(i, j int) bool { return c.Traits[i].Name < c.Traits[j].Name })
}

func first(xs []string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// inherited reports whether a base of c declares the trait name.
func inherited(c *classInfo, idx map[string]*classInfo, name string) bool {
	seen := map[string]bool{c.Name: true}
	var walk func(cl *classInfo) bool
	walk = func(cl *classInfo) bool {
		for _, b := range cl.Bases {
			bc := idx[b]
			if bc == nil || seen[b] {
				continue
			}
			seen[b] = true
			for _, t := range bc.Traits {
				if t.Name == name && t.Kind == "trait" {
					return true
				}
			}
			if walk(bc) {
				return true
			}
		}
		return false
	}
	return walk(c)
}

// qualify turns an identifier named after "use" into Class.trait when it
// is a config trait of the release (a bare name is looked up on c and its
// bases); "" otherwise, and for the trait self itself.
func qualify(c *classInfo, idx map[string]*classInfo, self, id string) string {
	id = strings.Trim(id, "`.")
	cls, name, dotted := strings.Cut(id, ".")
	if !dotted {
		cls, name = c.Name, cls
	}
	if cl := idx[cls]; cl != nil && declares(cl, idx, name) != "" && cls+"."+name != c.Name+"."+self {
		return cls + "." + name
	}
	return ""
}

// declares returns the class (cl or a base) that declares trait name.
func declares(cl *classInfo, idx map[string]*classInfo, name string) string {
	seen := map[string]bool{}
	var walk func(c *classInfo) string
	walk = func(c *classInfo) string {
		if c == nil || seen[c.Name] {
			return ""
		}
		seen[c.Name] = true
		for _, t := range c.Traits {
			if t.Name == name && t.Kind == "trait" {
				return c.Name
			}
		}
		for _, b := range c.Bases {
			if d := walk(idx[b]); d != "" {
				return d
			}
		}
		return ""
	}
	return walk(cl)
}

// referencedNames returns every name the package's code reads as an
// attribute (self.allowed_groups) or names in a string of its own
// ("allowed_groups", as observe, getattr and trait-copying loops do).
// The page templates count too ({{ authenticator.otp_prompt }}). A
// config trait whose name is in none of them is read by nothing; complete
// is false when the templates were not found, and then nothing is said
// to be unread.
func (p *Package) referencedNames() (used map[string]bool, complete bool) {
	used = map[string]bool{}
	for name, b := range p.Files {
		if strings.HasPrefix(name, templatesDir) {
			for _, m := range templateAttrRE.FindAllSubmatch(b, -1) {
				used[string(m[1])] = true
			}
		}
	}
	for _, f := range p.pyFiles(p.pkgDir()) {
		for _, s := range p.module(f).Body {
			ast.Walk(s, func(n ast.Ast) bool {
				switch v := n.(type) {
				case *ast.Attribute:
					used[string(v.Attr)] = true
				case *ast.Str:
					if len(v.S) < 64 {
						used[string(v.S)] = true
					}
				}
				return true
			})
		}
	}
	return used, p.hasTemplates()
}

// templateAttrRE matches an attribute read in a Jinja template.
var templateAttrRE = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)

// ReadClasses reads the configurable classes of a companion package (an
// authenticator, spawner or proxy built on JupyterHub's classes): files
// are its source files by slash-separated path from the repository or
// sdist root, dir the folder of its Python package ("kubespawner",
// "jupyterhub_traefik_proxy"; tests folders are left out), and external
// reports whether a base class the package does not define is
// configurable (JupyterHub's Spawner, traitlets' LoggingConfigurable), so
// that a subclass without traits of its own is still listed. Nothing is
// said to be unread: a companion's traits are read by JupyterHub too.
func ReadClasses(files map[string][]byte, dir string, external func(base string) bool) ([]Class, error) {
	dir = strings.Trim(dir, "/")
	if dir == "" || dir == "jupyterhub" {
		return nil, fmt.Errorf("ReadClasses: %q is not a companion package folder", dir)
	}
	p := &Package{Kind: "companion", Files: files, dir: dir, external: external}
	if len(p.pyFiles(p.pkgDir())) == 0 {
		return nil, fmt.Errorf("no Python modules under %s/", dir)
	}
	return p.classes()
}
