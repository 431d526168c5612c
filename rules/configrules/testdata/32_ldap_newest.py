# target: 5.5.1
c.JupyterHub.authenticator_class = "ldap"
c.LDAPAuthenticator.allowed_groups = ["cn=users"]
c.LDAPAuthenticator.use_ssl = True  # want HUB102 "c.LDAPAuthenticator.use_ssl is deprecated since 2.0 and still accepted by ldapauthenticator 2.0.2 \(judged against ldapauthenticator 2.0.2, the newest known: the installed version is unknown\); use LDAPAuthenticator.tls_strategy"
c.GenericOAuthenticator.extra_params = {"a": "b"}  # want HUB102 "extra_params is deprecated since 16.0.0 .*oauthenticator 17.4.0.*use c.GenericOAuthenticator.token_params"
