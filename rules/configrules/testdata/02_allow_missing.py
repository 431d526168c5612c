# target: 5.5.1
# current: 4.1.6
c.JupyterHub.authenticator_class = "github"  # want HUB110 "no allow config: from jupyterhub 5.0.0 Authenticator.allow_all defaults to False, so nobody but the admin users \(ops\) can log in after the upgrade to 5.5.1"
c.GitHubOAuthenticator.client_id = "abc"
c.Authenticator.admin_users = {"ops"}
