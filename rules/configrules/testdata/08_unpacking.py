# target: 5.5.1
base = {"A": "1"}
extra = ["--debug"]
c.Authenticator.allow_all = True
c.Spawner.environment = {**base, "B": "2", **{"C": "3"}}
c.Spawner.args = [*extra, "--x", *extra]
c.Spawner.cmd = (*extra,)
c.JupyterHub.services = [dict(**base, name="svc"), dict(name="x", **base, api_url="u")]
print(*extra, *extra, sep="")
first, *rest = extra
c.Spawner.mem_limit = 1_000_000_000
c.Spawner.cpu_limit = 1_0.5
c.Spawner.env_kep = [*extra]  # want HUB101 "did you mean env_keep\?"
def g(*args, **kwargs,):
    return dict(**kwargs,)
