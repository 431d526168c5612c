# target: 5.5.1
# current: 4.1.6
c.Authenticator.allow_all = True
c.JupyterHub.subdomain_host = "https://hub.example.org"
c.JupyterHub.subdomain_hook = "legacy"
