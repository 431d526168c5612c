# target: 6.0.0b2
c.Authenticator.allow_all = True
c.JupyterHub.allow_named_servers = True
c.JupyterHub.allow_existing_invalid_named_servers = "autorename"
