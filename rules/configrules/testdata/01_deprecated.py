# target: 5.5.1
c = get_config()
c.Authenticator.whitelist = {"alice", "bob"}  # want HUB102 "c.Authenticator.whitelist is deprecated since 1.2 .*use c.Authenticator.allowed_users"
c.Authenticator.blacklist = {"mallory"}  # want HUB104 "c.Authenticator.blacklist is silently ignored by jupyterhub 5.5.1.*blocked_users"
c.JupyterHub.proxy_cmd = ["configurable-http-proxy"]  # want HUB102 "proxy_cmd is deprecated since 0.8.*ConfigurableHTTPProxy.command"
c.JupyterHub.cookie_max_age_dayz = 7  # want HUB101 "not an option of JupyterHub in jupyterhub 5.5.1; did you mean cookie_max_age_days\?"
c.Spawner.notebok_dir = "~/notebooks"  # want HUB101 "did you mean notebook_dir\?"
c.NoSuchSpawner.enabled = True  # want HUB105 "class NoSuchSpawner is not defined"
c.LocalProcessSpawner.nonexistent_trait = 1  # want HUB101 "c.LocalProcessSpawner.nonexistent_trait is not an option"
c.JupyterHub.admin_access = True  # want HUB102 "admin_access is deprecated since 2.0.0 .*; use RBAC roles"
