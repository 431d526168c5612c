# target: 5.5.1
# rules: HUB130
c.ConfigurableHTTPProxy.should_start = False  # want HUB130 "runs outside the hub, but cleanup_servers is True"
