# target: 4.1.6
c.Authenticator.allow_all = True  # want HUB101 "c.Authenticator.allow_all first appears in 5.0.0; jupyterhub 4.1.6 does not know it and ignores it"
c.JupyterHub.subdomain_hook = "idna"  # want HUB101 "subdomain_hook first appears in 5.0.0"
