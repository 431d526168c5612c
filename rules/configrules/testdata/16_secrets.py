# target: 5.5.1
import os
c.Authenticator.allow_all = True
c.JupyterHub.cookie_secret = bytes.fromhex("00")
c.JupyterHub.cookie_secret = bytes.fromhex("c336ff8bc0f477928cfc73454821ee11182e90a49de57f81e0919e66851349c6")  # want HUB120 "JupyterHub.cookie_secret holds the cookie secret written in 16_secrets.py \(value not shown\)"
c.JupyterHub.cookie_secret = binascii.a2b_hex(b"00112233445566778899aabbccddeeff")  # want HUB120 "JupyterHub.cookie_secret holds the cookie secret"
c.GitHubOAuthenticator.client_secret = "0123456789abcdef0123".encode()  # want HUB120 "client secret"
c.JupyterHub.cookie_secret = bytes.fromhex(open("/srv/jupyterhub/cookie_secret_hex").read().strip())
c.JupyterHub.cookie_secret = bytes.fromhex(os.environ["JPY_COOKIE_SECRET_HEX_VALUE"])
c.JupyterHub.cookie_secret = "s3cr3t-cookie"  # want HUB120 "JupyterHub.cookie_secret holds the cookie secret written in 16_secrets.py \(value not shown\)"
c.JupyterHub.db_url = "postgresql://hub:s3cr3t@db:5432/hub"  # want HUB120 "JupyterHub.db_url holds a database password"
c.GitHubOAuthenticator.client_secret = "s3cr3t"  # want HUB120 "client secret"
c.GitHubOAuthenticator.client_secret = os.environ["GITHUB_SECRET"]
c.JupyterHub.services = [{"name": "svc", "api_token": "s3cr3t"}]  # want HUB120 "JupyterHub.services holds a secret"
c.ConfigurableHTTPProxy.auth_token = os.environ.get("PROXY_TOKEN", "")
c.JupyterHub.api_tokens = {"s3cr3t": "admin"}  # want HUB102 "api_tokens is deprecated" HUB120 "API tokens"
# Settings about secrets hold none (jupyterhub's examples/user-sharing set
# server_token_scopes; HUB120 called it a secret).
c.Spawner.server_token_scopes = ["shares!server", "users:activity!server"]
c.JupyterHub.token_expires_in_max_seconds = 86400
c.NativeAuthenticator.minimum_password_length = 12
c.KubeSpawner.image_pull_secrets = ["regcred"]
