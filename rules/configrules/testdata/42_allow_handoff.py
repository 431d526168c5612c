# target: 5.5.1
# current: 4.1.6
# Like The Littlest JupyterHub: the config object goes to code in another
# module, which may set the allow config, so HUB110 is a warning that says
# where to look.
import os
from mysite import settings

c = get_config()  # noqa
c.JupyterHub.cleanup_servers = False
settings.apply(settings.load(), c)  # want HUB110 "^no allow config in what hubaudit can read, and the config hands its config object to settings\.apply at 42_allow_handoff\.py:11, which may set one"
