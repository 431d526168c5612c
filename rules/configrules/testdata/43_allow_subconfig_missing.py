# target: 5.5.1
# current: 4.1.6
# A subconfig that is not next to the config may hold the allow config.
c = get_config()  # noqa
c.JupyterHub.authenticator_class = "github"  # want HUB110 "^no allow config in what hubaudit can read, and load_subconfig\(/etc/jupyterhub/auth\.py\) at 43_allow_subconfig_missing\.py:6 loads a file hubaudit did not read, which may set one: check it"
load_subconfig("/etc/jupyterhub/auth.py")
