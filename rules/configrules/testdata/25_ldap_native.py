# target: 5.5.1
c.JupyterHub.authenticator_class = "ldapauthenticator.LDAPAuthenticator"
c.LDAPAuthenticator.server_address = "ldap.example.org"
c.LDAPAuthenticator.allowed_groups = ["cn=users"]
c.LDAPAuthenticator.server_adress = "x"  # want HUB101 "did you mean server_address\?"
c.NativeAuthenticator.open_signup = True
c.NativeAuthenticator.open_sign_up = True  # want HUB101 "did you mean open_signup\?"
c.SystemdSpawner.mem_limit = "1G"
c.SlurmSpawner.batch_script = "#!/bin/sh"
