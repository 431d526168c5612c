# target: 5.5.1
# A custom authenticator that sets no allow option and does not decide
# itself is still locked out by 5.0's allow_all default.
from jupyterhub.auth import Authenticator


class TokenAuthenticator(Authenticator):
    login_service = "token"

    async def authenticate(self, handler, data):
        return data["username"]


c.JupyterHub.authenticator_class = TokenAuthenticator  # want HUB110 "no allow config: .* unless TokenAuthenticator overrides check_allowed"
