package config

import "testing"

// TestSyntaxCoverage: statements of Python 3.5-3.12 that CPython accepts
// (checked with CPython 3.11 when this table was written; the PEP 695 ones
// are in TestPEP695) parse without a ParseError, and a few broken ones are
// still refused.
func TestSyntaxCoverage(t *testing.T) {
	valid := map[string]string{
		"annotated_attr":            "c.JupyterHub.port: int = 8000\n",
		"annotated_no_value":        "x: int\n",
		"assert_msg":                "assert True, 'm'\n",
		"async_comp":                "async def f(xs):\n    return [x async for x in xs]\n",
		"async_with_for":            "async def f(a):\n    async with a as b:\n        async for c in b:\n            pass\n",
		"await_in_fstring":          "async def f(u):\n    return f\"{await u.get()}\"\n",
		"bytes_rb":                  "x = rb'\\d' + Rb\"x\" + BR'y'\n",
		"chained_cmp":               "x = 1 < 2 <= 3 != 4\n",
		"class_kw":                  "class A(B, metaclass=M): pass\n",
		"complex_num":               "z = 1+2j\n",
		"decorator_expr":            "@buttons[0].clicked.connect\ndef f(): pass\n",
		"def_trailing_comma_args":   "def f(a, b,): pass\n",
		"def_trailing_comma_star":   "def f(*a,): pass\n",
		"del_multi":                 "a=b=1\ndel a, b\n",
		"dict_comp_unpack":          "d = {**{'a': 1}, 'b': 2}\n",
		"dict_unpack_call":          "f(**a, **b)\n",
		"ellipsis":                  "def f(): ...\n",
		"empty_file_comment":        "# nothing\n",
		"except_group_paren":        "try:\n    pass\nexcept* (A, B):\n    pass\n",
		"float_exp":                 "f = 1e-3 + .5 + 5. + 1_0.0_1e1_0\n",
		"for_star":                  "for x in *[1], 2: pass\n",
		"fstring_backslash_outside": "x = f'\\n{1}'\n",
		"fstring_conversion":        "x = f\"{'a'!r} {1!s:>3}\"\n",
		"fstring_dict_in_field":     "x = f\"{ {'a': 1}['a'] }\"\n",
		"fstring_eq":                "a=1\nx = f\"{a=}\"\n",
		"fstring_lambda_field":      "x = f\"{(lambda: 1)()}\"\n",
		"fstring_nested_quotes_312": "d={'k':1}\nx = f\"{d['k']}\"\n",
		"fstring_triple":            "x = f'''a {1} b'''\n",
		"global_nonlocal":           "def f():\n    x = 1\n    def g():\n        nonlocal x\n        x = 2\n",
		"hex_oct_bin":               "n = 0xFF + 0o17 + 0b101 + 0XA\n",
		"kwonly":                    "def f(a, *, b, **kw): pass\n",
		"lambda_default_kw":         "f = lambda *, a=1: a\n",
		"lambda_trailing":           "f = lambda a, b,: 1\n",
		"line_continuation":         "x = 1 + \\\n    2\n",
		"match_seq_nested":          "match p:\n    case [1, [2, *r], {'k': v}]:\n        pass\n",
		"match_soft_kw_name":        "match = 1\nprint(match)\n",
		"match_value_dotted":        "import x\nmatch x.y:\n    case x.Z.A:\n        pass\n",
		"matrix_aug":                "a @= b\n",
		"multi_star_call":           "f(*a, *b)\n",
		"nested_fstring_fmt":        "w=5\nx = f\"{3.14159:{w}.{2}f}\"\n",
		"not_in_is_not":             "x = 1 not in [] and 2 is not None\n",
		"paren_with":                "with (open('a') as f, open('b') as g):\n    pass\n",
		"posonly_default":           "def f(a, b=2, /, c=3): pass\n",
		"print_sep":                 "print('a', 'b', sep='')\n",
		"print_trailing_comma_call": "f(a, b,)\n",
		"raise_from":                "try:\n    pass\nexcept Exception as e:\n    raise ValueError() from e\n",
		"return_annotation":         "def f(a: 'int' = 1) -> 'str': pass\n",
		"return_star":               "def f(a):\n    return 1, *a\n",
		"semicolons":                "a = 1; b = 2; c.X.y = 3\n",
		"set_comp":                  "s = {x for x in range(3)}\n",
		"star_assign_tuple":         "a, *b = [1, 2, 3]\n",
		"star_in_index":             "x = a[1:2, ...]\n",
		"starred_call_after_kw":     "f(a=1, *args)\n",
		"string_concat_f":           "x = 'a' f'{1}' \"c\"\n",
		"subscript_tuple_star":      "x = a[*b]\n",
		"tabs_indent":               "if True:\n\tx = 1\n",
		"ternary_lambda":            "f = (lambda: 1) if True else None\n",
		"try_finally_return":        "def f():\n    try:\n        return 1\n    finally:\n        pass\n",
		"type_soft_kw_call":         "x = type('A', (), {})\n",
		"unicode_ident":             "caf\u00e9 = 1\n",
		"walrus_comp":               "ys = [y for x in [1] if (y := x)]\n",
		"yield_star":                "def g(a):\n    yield 1, *a\n",
	}
	for name, src := range valid {
		if f := AnalyzeSource(name+".py", []byte(src)); len(f.ParseErrors) != 0 {
			t.Errorf("%s: %q: %+v", name, src, f.ParseErrors)
		}
	}
	for name, src := range map[string]string{
		"unclosed":            "x = (1,\n",
		"bad def":             "def f(:\n    pass\n",
		"match without colon": "match x\n    case 1:\n        pass\n",
		"decorator alone":     "@\ndef f(): pass\n",
		"with as nothing":     "with (a as ):\n    pass\n",
	} {
		if f := AnalyzeSource(name+".py", []byte(src)); len(f.ParseErrors) == 0 {
			t.Errorf("%s: %q parsed, but CPython refuses it", name, src)
		}
	}
}
