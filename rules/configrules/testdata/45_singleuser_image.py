# target: 5.5.1
# current: 4.1.6
# rules: HUB116
# The official single-user images are tagged with the jupyterhub they pin.
c = get_config()  # noqa
c.DockerSpawner.image = "jupyterhub/singleuser:0.9"  # want HUB116 "^c\.DockerSpawner\.image names jupyterhub/singleuser:0\.9, which pins jupyterhub 0\.9, and the upgraded hub runs 5\.5\.1: the two are on either side of 2\.0, a known breaking release"
c.DockerSpawner.image = "quay.io/jupyterhub/singleuser:4.1.6"  # want HUB116 "^c\.DockerSpawner\.image names quay\.io/jupyterhub/singleuser:4\.1\.6, which pins jupyterhub 4\.1\.6, and the upgraded hub runs 5\.5\.1: the 5\.5\.1 hub warns about a different major version"
c.DockerSpawner.image = "quay.io/jupyterhub/singleuser:5.2"
c.DockerSpawner.image = "quay.io/jupyterhub/singleuser:5.5.1"
c.DockerSpawner.image = "quay.io/jupyterhub/singleuser:latest"
c.DockerSpawner.image = "quay.io/jupyter/scipy-notebook:2024-05-27"
c.KubeSpawner.profile_list = [
    {"display_name": "small", "kubespawner_override": {"image": "quay.io/jupyterhub/singleuser:5.5"}},
    {"display_name": "old", "kubespawner_override": {"image": "jupyterhub/singleuser:1.5"}},
]  # want-file HUB116 "^c\.KubeSpawner\.profile_list names jupyterhub/singleuser:1\.5, which pins jupyterhub 1\.5"
c.DockerSpawner.allowed_images = {"lab": "quay.io/jupyterhub/singleuser:4.0", "mine": "myorg/lab:5.5.1"}  # want HUB116 "^c\.DockerSpawner\.allowed_images names quay\.io/jupyterhub/singleuser:4\.0, which pins jupyterhub 4\.0"
c.KubeSpawner.image_spec = "jupyterhub/singleuser:1.4.2"  # want HUB116 "^c\.KubeSpawner\.image_spec names jupyterhub/singleuser:1\.4\.2, which pins jupyterhub 1\.4\.2"
