# target: 5.5.1
# current: 4.1.6
# rules: HUB111
c.Spawner.environment = {"JUPYTERHUB_ALLOW_TOKEN_IN_URL": "1"}
