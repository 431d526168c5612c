# target: 5.5.1
# current: 4.1.6
# SharedPasswordAuthenticator (5.3) validates its passwords' lengths.
c.JupyterHub.authenticator_class = "shared-password"
c.Authenticator.allow_all = True
c.SharedPasswordAuthenticator.user_password = "short"  # want HUB117 "^c\.SharedPasswordAuthenticator\.user_password is shorter than the 8 characters jupyterhub 5\.5\.1's SharedPasswordAuthenticator\.user_password needs: the hub refuses to start \(ValueError\); value not shown$" HUB120 "holds a password"
c.Authenticator.admin_password = "twenty-one-characters"  # want HUB117 "^c\.Authenticator\.admin_password is shorter than the 32 characters jupyterhub 5\.5\.1's SharedPasswordAuthenticator\.admin_password needs" HUB120 "holds a password"
c.SharedPasswordAuthenticator.admin_password = "exactly-thirty-two-characters-ok"  # want HUB120 "holds a password"
