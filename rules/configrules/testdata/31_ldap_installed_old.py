# target: 5.5.1
# companions: jupyterhub-ldapauthenticator=1.3.2
c.JupyterHub.authenticator_class = "ldapauthenticator.LDAPAuthenticator"
c.LDAPAuthenticator.allowed_groups = ["cn=users"]
c.LDAPAuthenticator.use_ssl = True
c.LDAPAuthenticator.tls_strategy = "on_connect"  # want HUB101 "c.LDAPAuthenticator.tls_strategy first appears in 2.0.0; ldapauthenticator 1.3.2 does not know it and ignores it \(ldapauthenticator 1.3.2 installed\)"
