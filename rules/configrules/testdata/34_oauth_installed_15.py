# target: 5.5.1
# companions: oauthenticator=15.1.0
c.JupyterHub.authenticator_class = "generic-oauth"
c.GenericOAuthenticator.allowed_groups = {"staff"}
c.GenericOAuthenticator.extra_params = {"a": "b"}
