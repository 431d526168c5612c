# Python 3.5-3.11 syntax that gpython's 3.4 grammar lacks and the pre-lexer
# rewrites in place: match statements (with guards, as-patterns, class,
# mapping and sequence patterns), except*, and the @ operator.
import os
import numpy as np

c = get_config()  # noqa

match os.environ.get("HUB_MODE", "prod"):
    case "dev" | "test":
        c.JupyterHub.log_level = "DEBUG"
    case str(mode) if mode.startswith("stage"):
        c.JupyterHub.log_level = "INFO"
    case {"name": name, **rest} as spec:
        c.Spawner.environment = {"SPEC": "yes"}
    case [first, *others]:
        c.Spawner.args.append("--first")
    case Point(x=0, y=0):
        pass
    case _:
        c.JupyterHub.log_level = "WARN"

match = {"a": 1}
match["a"] = 2
case = 3

try:
    c.JupyterHub.port = 8000
except* ValueError:
    c.JupyterHub.port = 8001
except* (TypeError, KeyError) as eg:
    pass

m = np.eye(2) @ np.eye(2)
m @= m
c.Spawner.mem_limit = "2G"

with (open("/dev/null") as a,
      open("/dev/null") as b):
    c.Spawner.notebook_dir = "~"

registry = [lambda f: f]


@registry[0]
def hook(spawner):
    c.Spawner.default_url = "/lab"


def gen(xs):
    yield 0, *xs
    return 1, *xs
