# target: 5.5.1
# current: 4.1.6
# rules: HUB111
c.JupyterHub.spawner_class = "simple"  # want HUB111 "from jupyterhub 5.0 single-user servers and services refuse API tokens in URLs"
