#!/usr/bin/env python3
"""Compute, with CPython's own ast module, the config-trait assignments that
hubaudit's config collector must extract from each testdata config.

The golden output (ast_golden.json) is committed; the Go test
checks/config TestCPythonGolden compares the collector's assignments with it,
so python is not needed at test time. Regenerate after changing testdata:

    python3 testdata/config/ast_extract.py > testdata/config/ast_golden.json

The extraction rules mirror the collector's documented behaviour: the config
object is `c` or any name bound to get_config(); c.Class.trait targets
(possibly with further subscripts/attributes, op "item") in Assign,
annotated assignments with a value, augmented assignments (op "+=" etc.) and
statement-level calls of append/extend/update/insert/add/setdefault, at any
nesting. Values: literals, f-strings, environment lookups, names.
"conditional" marks a statement in a body that may not run: under if,
for, while or match, in an except handler or a try's else, in a function.
"""
import ast
import glob
import json
import os
import sys

METHODS = {"append", "extend", "update", "insert", "add", "setdefault"}
AUG = {ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.Mod: "%=", ast.Pow: "**=",
       ast.LShift: "<<=", ast.RShift: ">>=", ast.BitOr: "|=", ast.BitXor: "^=", ast.BitAnd: "&=",
       ast.FloorDiv: "//=", ast.MatMult: "@="}
ENV_FUNCS = {"os.environ.get", "os.getenv", "environ.get", "getenv"}


def dotted(e):
    if isinstance(e, ast.Name):
        return e.id
    if isinstance(e, ast.Attribute):
        d = dotted(e.value)
        if d:
            return d + "." + e.attr
    return ""


def keystr(v):
    if isinstance(v, bool) or v is None:
        return repr(v)
    return str(v)


def literal(e):
    """Returns (value, kind) with kind literal, fstring or expr."""
    if isinstance(e, ast.JoinedStr):
        return None, "fstring"
    if isinstance(e, ast.Constant):
        v = e.value
        if isinstance(v, (str, bool, int, float)) or v is None:
            return v, "literal"
        return None, "expr"
    if isinstance(e, ast.UnaryOp) and isinstance(e.op, (ast.USub, ast.UAdd)):
        o = e.operand
        if isinstance(o, ast.Constant) and isinstance(o.value, (int, float)) and not isinstance(o.value, bool):
            return (-o.value if isinstance(e.op, ast.USub) else o.value), "literal"
        return None, "expr"
    if isinstance(e, (ast.List, ast.Tuple, ast.Set)):
        out = []
        for x in e.elts:
            if isinstance(x, ast.Starred):
                return None, "expr"
            v, k = literal(x)
            if k != "literal":
                return None, k
            out.append(v)
        return out, "literal"
    if isinstance(e, ast.Dict):
        out = {}
        for k, v in zip(e.keys, e.values):
            if k is None:
                return None, "expr"
            kv, kk = literal(k)
            if kk != "literal":
                return None, kk
            vv, vk = literal(v)
            if vk != "literal":
                return None, vk
            out[keystr(kv)] = vv
        return out, "literal"
    return None, "expr"


def is_plain_str(e):
    return isinstance(e, ast.Constant) and isinstance(e.value, str)


def env_ref(e):
    if isinstance(e, ast.Call) and dotted(e.func) in ENV_FUNCS and e.args and is_plain_str(e.args[0]):
        return True
    if isinstance(e, ast.Subscript) and dotted(e.value) in ("os.environ", "environ") and is_plain_str(e.slice):
        return True
    return False


def value_of(e):
    if e is None:
        return None, "expr"
    if isinstance(e, ast.Starred):
        e = e.value
    if env_ref(e):
        return None, "env"
    v, k = literal(e)
    if k in ("literal", "fstring"):
        return v, k
    if dotted(e):
        return None, "name"
    return None, "expr"


class Extractor:
    def __init__(self):
        self.names = {"c"}
        self.out = []
        self.cond = 0

    def trait_of(self, e):
        item = False
        while True:
            if isinstance(e, ast.Subscript):
                item, e = True, e.value
                continue
            if isinstance(e, ast.Attribute):
                cls = e.value
                if isinstance(cls, ast.Attribute) and isinstance(cls.value, ast.Name) and cls.value.id in self.names:
                    return cls.attr + "." + e.attr, item, cls.value
                item, e = True, e.value
                continue
            return None, False, None

    def record(self, root, trait, op, value):
        v, k = value_of(value) if value is not None else (None, "expr")
        self.out.append({"line": root.lineno, "column": root.col_offset + 1, "trait": trait, "op": op,
                         "value_kind": k, "value": v, "conditional": self.cond > 0})

    def target(self, t, v, op):
        if isinstance(t, (ast.Tuple, ast.List)):
            vals = None
            if isinstance(v, (ast.Tuple, ast.List)) and not any(isinstance(x, ast.Starred) for x in v.elts) \
                    and not any(isinstance(x, ast.Starred) for x in t.elts) and len(v.elts) == len(t.elts):
                vals = v.elts
            for i, x in enumerate(t.elts):
                self.target(x, vals[i] if vals else None, op)
            return
        if isinstance(t, ast.Starred):
            self.target(t.value, None, op)
            return
        trait, item, root = self.trait_of(t)
        if trait is None:
            return
        if item and op == "=":
            op = "item"
        self.record(root, trait, op, v)

    def stmts(self, body):
        for s in body:
            self.stmt(s)

    def cond_stmts(self, body):
        self.cond += 1
        self.stmts(body)
        self.cond -= 1

    def stmt(self, s):
        if isinstance(s, ast.Assign):
            if isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name) and s.value.func.id == "get_config":
                for t in s.targets:
                    if isinstance(t, ast.Name):
                        self.names.add(t.id)
            for t in s.targets:
                self.target(t, s.value, "=")
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self.target(s.target, s.value, "=")
        elif isinstance(s, ast.AugAssign):
            self.target(s.target, s.value, AUG[type(s.op)])
        elif isinstance(s, ast.Expr) and isinstance(s.value, ast.Call):
            call = s.value
            f = call.func
            if isinstance(f, ast.Attribute) and f.attr in METHODS:
                trait, item, root = self.trait_of(f.value)
                if trait is None:
                    return
                positional = list(call.args) + [k.value for k in call.keywords if k.arg is None]
                named = [k for k in call.keywords if k.arg is not None]
                value = positional[0] if len(positional) == 1 and not named else None
                self.record(root, trait, f.attr, value)
        elif isinstance(s, (ast.If, ast.For, ast.AsyncFor, ast.While)):
            self.cond_stmts(s.body)
            self.cond_stmts(s.orelse)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            self.stmts(s.body)
        elif isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
            self.stmts(s.body)
            for h in s.handlers:
                self.cond_stmts(h.body)
            self.cond_stmts(s.orelse)
            self.stmts(s.finalbody)
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.cond_stmts(s.body)
        elif isinstance(s, ast.ClassDef):
            self.stmts(s.body)
        elif type(s).__name__ == "Match":
            for case in s.cases:
                self.cond_stmts(case.body)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    files = sorted(glob.glob(os.path.join(root, "rules/configrules/testdata/*.py")) +
                   glob.glob(os.path.join(root, "testdata/config/*.py")))
    out = {}
    for f in files:
        rel = os.path.relpath(f, root)
        if rel.endswith("ast_extract.py"):
            continue
        src = open(f, "rb").read()
        try:
            tree = ast.parse(src, filename=rel)
        except (SyntaxError, ValueError):
            out[rel] = None
            continue
        x = Extractor()
        x.stmts(tree.body)
        out[rel] = x.out
    json.dump(out, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
