# target: 5.5.1
c.Authenticator.allow_all = True
c.HubAuth.oauth_scopes = {"access:services"}  # want HUB103 "c.HubAuth.oauth_scopes is not an option in jupyterhub 5.5.1 \(last accepted in jupyterhub 2.3.1\) and is ignored; use c.HubAuth.access_scopes"
c.HubAuth.cookie_name = "x"  # want HUB103 "c.HubAuth.cookie_name is not an option in jupyterhub 5.5.1 \(last accepted in jupyterhub 1.5.1\) and is ignored$"
