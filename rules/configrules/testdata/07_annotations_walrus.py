# target: 5.5.1
from typing import Dict, List
c.Authenticator.allow_all = True
port: int = 8000
users: Dict[str, List[str]] = {"a": ["b"]}
c.JupyterHub.port: int = port
c.JupyterHub.bind_url: str
if (n := len(users)) > 0:
    c.JupyterHub.concurrent_spawn_limit = n
c.JupyterHub.active_server_limitt = 10  # want HUB101 "did you mean active_server_limit\?"
def f(a: int, *args: str, b: "x" = 1, **kw: int) -> None:
    pass
