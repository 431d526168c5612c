# target: 5.5.1
c.Authenticator.whitelist = {"a"}
c.JupyterHub.port = f"{8000}"
