# A TLJH-style deployment: main file plus jupyterhub_config.d snippets.
import os
from oauthenticator.github import GitHubOAuthenticator

c = get_config()  # noqa
c.JupyterHub.authenticator_class = GitHubOAuthenticator
c.GitHubOAuthenticator.client_id = os.environ.get("GITHUB_CLIENT_ID", "dev-client")
c.GitHubOAuthenticator.client_secret = "s3cr3t"  # hubaudit: ignore[HUB120] rotated weekly
c.Authenticator.whitelist = {"alice", "bob"}
c.Authenticator.admin_users = {"alice"}
c.JupyterHub.db_url = "postgresql://hub:s3cr3t@db.internal:5432/jupyterhub"
c.JupyterHub.port: int = 8_000
load_subconfig("extra_config.py")
