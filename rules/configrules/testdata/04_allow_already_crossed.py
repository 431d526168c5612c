# target: 5.5.1
# current: 5.0.0
# no allow config, but the hub already runs 5.x: nothing changes
c.JupyterHub.authenticator_class = "dummy"
