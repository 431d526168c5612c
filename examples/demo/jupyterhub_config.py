# JupyterHub configuration of the DS101 course hub.
# Written for JupyterHub 4.1.6 with GitHub login and Docker containers.
import os

c = get_config()  # noqa: F821

DOMAIN = os.environ.get("HUB_DOMAIN", "hub.ds101.example.org")

# --- Hub -------------------------------------------------------------------
c.JupyterHub.bind_url = f"https://{DOMAIN}"
c.JupyterHub.db_url = "sqlite:///jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"
c.JupyterHub.cleanup_servers = False
c.JupyterHub.admin_access = True

# --- Login -----------------------------------------------------------------
c.JupyterHub.authenticator_class = "github"
c.GitHubOAuthenticator.oauth_callback_url = f"https://{DOMAIN}/hub/oauth_callback"
c.GitHubOAuthenticator.client_id = "Iv1.8a61f9b3a7aba766"
c.GitHubOAuthenticator.client_secret = "3f1c9e0b7d2a4c5e8f6a1b2c3d4e5f6a7b8c9d0e"
c.GitHubOAuthenticator.github_organization_whitelist = {"ds101-course"}
c.Authenticator.admin_users = {"alice"}
# Banned after the spring term (written for JupyterHub 1.1).
c.Authenticator.blacklist = {"mallory"}

# --- Servers ---------------------------------------------------------------
c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
c.DockerSpawner.container_image = "quay.io/jupyter/datascience-notebook:2024-05-27"
# Staff can also start the plain single-user image.
c.DockerSpawner.allowed_images = {
    "Data science": "quay.io/jupyter/datascience-notebook:2024-05-27",
    "Minimal": "quay.io/jupyterhub/singleuser:4.1",
}
c.DockerSpawner.network_name = "jupyterhub"
c.DockerSpawner.remove = True
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = "2G"
c.Spawner.notebok_dir = "/home/jovyan/work"


async def add_course_env(spawner):
    spawner.environment["COURSE"] = "ds101"


c.Spawner.pre_spawn_hook = add_course_env

# --- Services --------------------------------------------------------------
c.JupyterHub.load_roles = [
    {
        "name": "jupyterhub-idle-culler-role",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["cull-idle"],
    }
]
c.JupyterHub.services = [
    {
        "name": "cull-idle",
        "command": ["python3", "-m", "jupyterhub_idle_culler", "--timeout=3600"],
    }
]
