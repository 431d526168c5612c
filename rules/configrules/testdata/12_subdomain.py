# target: 5.5.1
# current: 4.1.6
c.Authenticator.allow_all = True
c.JupyterHub.subdomain_host = "https://hub.example.org"  # want HUB112 "subdomain_host is set and jupyterhub 5.0.0 changes the default subdomain scheme"
