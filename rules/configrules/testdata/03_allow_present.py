# target: 5.5.1
# current: 4.1.6
c.JupyterHub.authenticator_class = "github"
c.GitHubOAuthenticator.allowed_organizations = {"my-org"}
