# target: 5.5.1
# companions: oauthenticator=15.1.0
c.JupyterHub.authenticator_class = "oauthenticator.github.GitHubOAuthenticator"
c.GitHubOAuthenticator.allowed_organizations = {"org"}
c.GitHubOAuthenticator.client_idd = "x"  # want HUB101 "\(oauthenticator 15.1.0 installed\); did you mean client_id\?"
