# target: 5.5.1
# current: 4.1.6
# NativeAuthenticator checks its own sign-ups, but it sets no allow_all
# default: from 5.0 its users need allow config like any other's.
c = get_config()  # noqa
c.JupyterHub.authenticator_class = "native"  # want HUB110 "^no allow config: from jupyterhub 5\.0\.0 Authenticator\.allow_all defaults to False, so nobody, not even the admin users or the existing users, can log in after the upgrade to 5\.5\.1"
c.Authenticator.admin_users = {"ops"}
c.NativeAuthenticator.open_signup = True
