# target: 5.5.1
# current: 4.1.6
# rules: HUB111,HUB112,HUB130
# The config object goes to code hubaudit does not read: the rules that
# conclude from a setting the config does not make say that the code may
# make it.
from mysite import settings

c = get_config()  # noqa
c.JupyterHub.spawner_class = "simple"  # want HUB111 "^from jupyterhub 5\.0 .* in c\.Spawner\.environment; but the config hands its config object to settings\.apply at 44_handoff_hedges\.py:13, which may set c\.Spawner\.environment: check it$"
c.JupyterHub.subdomain_host = "https://hub.example.org"  # want HUB112 "move to new host names after the upgrade to 5\.5\.1; but the config hands its config object to settings\.apply at 44_handoff_hedges\.py:13, which may set c\.JupyterHub\.subdomain_hook: check it$"
# want-file HUB130 "cleanup_servers is True: every user loses their running server during the upgrade to 5\.5\.1; but the config hands its config object to settings\.apply at 44_handoff_hedges\.py:13, which may set the proxy settings or c\.JupyterHub\.cleanup_servers: check it$"
settings.apply(c)
