# target: 5.5.1
c.Authenticator.allowed_users = {"a"}
c.JupyterHub.port = 8000
