# target: 5.5.1
# current: 4.1.6
# LocalAuthenticator.group_whitelist is declared but read by nothing from
# 1.2.0 (jupyterhub/jupyterhub, tag 1.2.0, jupyterhub/auth.py: only
# whitelist and blacklist are in _deprecated_aliases, and check_allowed
# reads allowed_groups): it is ignored, and it is no allow config.
# want-file HUB110 "no allow config"
c.LocalAuthenticator.group_whitelist = {"staff"}  # want HUB104 "c.LocalAuthenticator.group_whitelist is silently ignored by jupyterhub 5.5.1 \(renamed in 1.2\); use c.LocalAuthenticator.allowed_groups"
