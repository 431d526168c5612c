# target: 5.5.1
# current: 5.2.1
c.Authenticator.allow_all = True
c.Authenticator.manage_groups = True
