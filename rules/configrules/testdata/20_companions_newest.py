# target: 5.5.1
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "docker"
c.DockerSpawner.container_image = "jupyter/base-notebook"  # want HUB102 "container_image is deprecated since 0.9 .*dockerspawner 14.0.0.*; use c.DockerSpawner.image"
c.DockerSpawner.image = "jupyter/base-notebook"
c.DockerSpawner.imagee = "x"  # want HUB101 "not an option of DockerSpawner in dockerspawner 14.0.0 \(judged against dockerspawner 14.0.0, the newest known: the installed version is unknown\); did you mean image\?"
c.KubeSpawner.image_spec = "x"  # want HUB102 "image_spec is deprecated since 0.10 .*kubespawner 7.1.0.*; use c.KubeSpawner.image"
