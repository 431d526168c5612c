# target: 5.5.1
c.Authenticator.allow_all = True
c.Pagination.default_per_page = 100  # want HUB103 "class Pagination no longer exists in the jupyterhub release in use; c.Pagination.default_per_page is ignored"
