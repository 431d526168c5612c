# target: 5.5.1
import os
config = get_config()
config.Authenticator.allow_all = True
if os.environ.get("DEV"):
    config.JupyterHub.log_level = "DEBUG"
    for i in range(3):
        config.JupyterHub.log_lvl = i  # want HUB101 "did you mean log_level\?"
else:
    try:
        config.Spawner.default_url = "/lab"
    except Exception:
        config.Spawner.default_ur = "/tree"  # want HUB101 "did you mean default_url\?"
    finally:
        pass
with open("/dev/null") as fh:
    c.JupyterHub.template_paths = ["/t"]
c.JupyterHub.tornado_settings["headers"] = {"X": "y"}
c.Spawner.env_keep.append("PATH")
c.Spawner.env_keep.extend(["A", "B"])
c.Spawner.environment.update({"A": "1"})
c.Spawner.args.insert(0, "--x")
c.Authenticator.admin_users.add("root")
c.Spawner.environment.setdefault("B", "2")
c.Spawner.args += ["--y"]
c.Spawner.argz += ["--y"]  # want HUB101 "did you mean args\?"
c.JupyterHub.port, c.JupyterHub.hub_port = 8000, 8081
