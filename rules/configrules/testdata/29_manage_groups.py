# target: 5.5.1
# current: 4.1.6
c.JupyterHub.authenticator_class = "generic-oauth"
c.GenericOAuthenticator.allowed_groups = {"staff"}
c.GenericOAuthenticator.manage_groups = True  # want HUB115 "c.GenericOAuthenticator.manage_groups is True: from jupyterhub 5.0.0 GenericOAuthenticator must return a groups field"
