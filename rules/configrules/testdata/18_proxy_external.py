# target: 5.5.1
# rules: HUB130
c.JupyterHub.cleanup_servers = False
c.ConfigurableHTTPProxy.should_start = False  # want HUB130 "runs outside the hub and cleanup_servers is False: running user servers stay up"
c.ConfigurableHTTPProxy.api_url = "http://proxy:8001"
