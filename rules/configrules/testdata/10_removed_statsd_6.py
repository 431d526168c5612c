# target: 6.0.0b2
c.Authenticator.allow_all = True
c.JupyterHub.statsd_host = "localhost"  # want HUB103 "c.JupyterHub.statsd_host is not an option in jupyterhub 6.0.0b2 \(last accepted in jupyterhub 5.5.1\)"
c.JupyterHub.statsd_port = 8125  # want HUB103 "statsd_port"
c.JupyterHub.allow_named_servers = True  # want HUB113 "named servers are enabled and jupyterhub 6.0.0b2 restricts server names"
