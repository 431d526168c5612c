# target: 5.5.1
import os
name = "hub"
c.JupyterHub.allow_all = True  # want HUB101 "c.JupyterHub.allow_all is not an option of JupyterHub"
c.Authenticator.allow_all = True
c.Spawner.cmd = [f"jupyterhub-{name}", rf"\d{name}", F'{os.environ["X"]!r:>10}']
c.Spawner.default_url = f"/lab/tree/{name}"
c.Spawner.notebook_dirr = f"/home/{name}"  # want HUB101 "did you mean notebook_dir\?"
c.JupyterHub.template_vars = {"title": f"{name} hub {{literal}}"}
c.Spawner.args = [f"""--a={name}
--b={name.upper()}"""]
c.Spawner.environment = {"X": f"{'nested' + 'quotes'}"}
c.Spawner.ipp = "0.0.0.0"  # want HUB101 "did you mean ip\?"
