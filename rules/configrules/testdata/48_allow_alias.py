# target: 5.5.1
# current: 4.1.6
# companions: oauthenticator=16.3.1
# OAuthenticator 16.3.1 still forwards github_organization_whitelist to
# allowed_organizations (github.py _deprecated_oauth_aliases): that is an
# allow config, so no HUB110.
c.JupyterHub.authenticator_class = "github"
c.GitHubOAuthenticator.github_organization_whitelist = {"ds101-course"}  # want HUB102 "deprecated since 0\.12\.0 and still accepted by oauthenticator 16\.3\.1.*; use c\.GitHubOAuthenticator\.allowed_organizations"
c.Authenticator.admin_users = {"alice"}
