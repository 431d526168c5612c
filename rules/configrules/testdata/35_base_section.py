# target: 5.5.1
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
# traitlets merges ancestor sections: this configures DockerSpawner.image
c.Spawner.image = "jupyter/base-notebook"
c.Spawner.imagee = "x"  # want HUB101 "c.Spawner.imagee is not an option of Spawner"
c.Authenticator.client_id = "x"  # want HUB101 "c.Authenticator.client_id is not an option of Authenticator"
