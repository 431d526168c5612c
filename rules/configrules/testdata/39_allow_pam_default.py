# target: 5.5.1
# current: 4.1.6
# The default authenticator (PAM) needs allow config from 5.0.
# want-file HUB110 "no allow config: from jupyterhub 5.0.0 Authenticator.allow_all defaults to False, so nobody, not even the admin users or the existing users, can log in after the upgrade to 5.5.1 \(upgrading from 4.1.6\); say who may log in with c.Authenticator.allowed_users"
c.JupyterHub.port = 8000
