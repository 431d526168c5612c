# target: 5.5.1
# current: 4.1.6
# DummyAuthenticator keeps allowing everyone when no user is listed.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = "test"  # want HUB102 "c.DummyAuthenticator.password is deprecated since 5.3 .*; use SharedPasswordAuthenticator.user_password" HUB120 "DummyAuthenticator.password holds a password"
