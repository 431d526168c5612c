# target: 5.5.1
# current: 1.5.0
# rules: HUB114
# want-file HUB114 "jupyterhub 5.5.1 requires Python >=3.8 in the hub environment and in every user environment \(upgrading from 1.5.0\)"
c.JupyterHub.port = 8000
