# target: 5.5.1
# rules: HUB130
# want-file HUB130 "the hub starts its own proxy \(ConfigurableHTTPProxy\) and cleanup_servers is True: every user loses their running server during the upgrade to 5.5.1"
c.JupyterHub.port = 8000
