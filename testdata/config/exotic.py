"""A docstring that mentions c.JupyterHub.port = 1 is not code."""
import os, sys
from os import environ as env_alias
c = get_config()  # noqa: F821
cfg = get_config()
s = '''
c.JupyterHub.ip = "not code either"
'''
c.JupyterHub.ip = "0.0.0.0"; c.JupyterHub.port = 8000  # two statements
c.JupyterHub.bind_url = \
    "http://:8000"
c.Spawner.args = [
    "--a",  # comment inside
    "--b",
]
cfg.Spawner.default_url = "/lab"
c.Spawner.cpu_limit = -1.5e3
c.Spawner.mem_limit = 0x10
c.Spawner.start_timeout = -7
c.Spawner.http_timeout = +3
c.JupyterHub.big = 123456789012345678901234567890
c.JupyterHub.flag = -True
c.JupyterHub.nothing = None
c.JupyterHub.empty_list = []
c.JupyterHub.empty_dict = {}
c.JupyterHub.a_set = {1, 2, "x"}
c.JupyterHub.a_tuple = (1, "two", 3.0, None, False)
c.JupyterHub.nested = {"a": [1, {"b": (2, 3)}], 1: "int key", True: "bool key", None: "none key"}
c.JupyterHub.cond = "a" if sys.platform == "linux" else "b"
c.JupyterHub.chained_a = c.JupyterHub.chained_b = 5
c.Spawner.env["A"]["B"] = 1
c.Spawner.obj.attr = 2
c.Spawner.env["k"].append(3)
c.Spawner.environment = {k: v for k, v in os.environ.items()}
c.Spawner.concat = "a" "b" 'c'
c.Spawner.fconcat = "a" f"{s}" "c"
c.Spawner.envv = os.getenv("HOME")
c.Spawner.envw = env_alias.get("HOME", 1)
c.Spawner.envx = os.environ["HOME"]
c.Spawner.listenv = [os.environ.get("X", "d")]
c.Spawner.multi.update(a=1)
c.Spawner.multi.update({"a": 1}, b=2)
c.Spawner.multi.insert(0, "x")
c.Spawner.star_call.extend(*[[1]])
c.Spawner.dstar_call.update(**{"a": 1})
c.Spawner.unpacked_list = [*[1, 2]]
c.Spawner.unpacked_dict = {**{"a": 1}}
c.Spawner.walrus = (w := 3)
c.Spawner.positional = lambda a, /, b=1: a
c.Spawner.slice = [1, 2, 3][1:]
c.Spawner.joined = ",".join(["a", "b"])
c.Spawner.subscript_name = os.environ
c.Spawner.attr_call = os.path.join("a", "b")
(c.Spawner.paren) = 1
[c.Spawner.l1, c.Spawner.l2] = [1, 2]
c.Spawner.t1, (c.Spawner.t2, c.Spawner.t3) = 1, (2, 3)
c.Spawner.s1, *c.Spawner.s2 = [1, 2, 3]
c.Spawner.count |= 1
c.Spawner.count //= 2
c.Spawner.count **= 2
c.Spawner.count >>= 1
del c.Spawner.gone
global_name = c.Spawner.read_only
print(c.Spawner.read_only)
c.JupyterHub.é_trait = "é"
x = {"é": 1}; c.JupyterHub.after_unicode = "ü"


def pos_only(a, b, /, c=1, *, d, **kw):
    c.Spawner.inside_function = a


@decorator(arg=1)
class Hooks(object):
    c.Spawner.inside_class = 1

    async def method(self):
        async with self.lock as l:
            c.Spawner.inside_async_with = await self.get()
        return [x async for x in self.items()]


while False:
    c.Spawner.in_while = 1
else:
    c.Spawner.in_while_else = 2

for i in range(2):
    c.Spawner.in_for += [i]

try:
    import missing
except ImportError as e:
    c.Spawner.in_except = str(e)
else:
    c.Spawner.in_try_else = 1
finally:
    c.Spawner.in_finally = 1
