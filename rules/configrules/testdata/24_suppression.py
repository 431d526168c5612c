# target: 5.5.1
c.Authenticator.allow_all = True
c.Authenticator.whitelist = {"a"}  # hubaudit: ignore[HUB102] migrating next sprint
# hubaudit: ignore[HUB101] custom patch adds this option
c.JupyterHub.custom_thing = 1
c.JupyterHub.other_thing = 1  # hubaudit: ignore[HUB101]  # want HUB101 "other_thing" HUB902 "has no reason"
c.JupyterHub.port = 1  # hubaudit: ignore[HUB103] nothing to hide here  # want HUB902 "matched no finding"
