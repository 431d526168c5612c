# target: 5.5.1
# A config written for JupyterHub 1.x.
c = get_config()  # noqa

# c.Authenticator.whitelist = {"not", "code"}  (a comment: unchanged)
c.Authenticator.whitelist = {"alice", "bob"}
c.Authenticator.blacklist = {"mallory"}
c.LocalAuthenticator.group_whitelist = {"staff"}
c.JupyterHub.proxy_cmd = ["configurable-http-proxy", "--log-level=debug"]
c.JupyterHub.admin_access = True  # no mechanical replacement: unchanged
help_text = "set c.Authenticator.whitelist to restrict logins"  # a string: unchanged
if True:
    c.Authenticator.whitelist.add("carol")
c.Authenticator  .  whitelist |= {"dave"}
c.JupyterHub.port = 8000
c.JupyterHub.hub_connect_port = 8081  # port -> URL: not mechanical, unchanged
c.JupyterHub.proxy_api_ip = "127.0.0.1"  # IP -> URL: not mechanical, unchanged
c.DummyAuthenticator.password = "x"  # another class: unchanged
