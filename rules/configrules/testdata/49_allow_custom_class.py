# target: 5.5.1
# jupyterhub's examples/forced-login: a custom authenticator whose class
# body sets allow_all (an external app decides who logs in). HUB110 said
# "no allow config" while the class admits everyone.
from jupyterhub.auth import Authenticator


class ForcedLoginAuthenticator(Authenticator):
    allow_all = True

    async def authenticate(self, handler, data):
        return data["username"]


class ChildAuthenticator(ForcedLoginAuthenticator):
    pass


class Gatekeeper(Authenticator):
    def check_allowed(self, username, authentication=None):
        return username.endswith("-staff")


c.JupyterHub.authenticator_class = ChildAuthenticator
