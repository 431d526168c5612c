# A small hub for hubaudit's per-kind plan goldens.
c = get_config()  # noqa: F821
c.Authenticator.allowed_users = {"ada", "grace"}
c.JupyterHub.hub_port = 8091
