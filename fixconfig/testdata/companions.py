# target: 5.5.1
c.JupyterHub.spawner_class = "docker"
c.DockerSpawner.container_image = "jupyter/base-notebook:2024-01-01"
c.KubeSpawner.singleuser_image_spec = "jupyter/base-notebook"
c.KubeSpawner.user_storage_capacity = "10Gi"
c.KubeSpawner.singleuser_uid = 1000
c.GenericOAuthenticator.extra_params = {"audience": "hub"}
c.CILogonOAuthenticator.idp_whitelist = ["example.org"]  # superseded, value not converted: unchanged
c.GitHubOAuthenticator.github_organization_whitelist = {"org"}
