# target: 5.5.1
from jupyterhub.spawner import LocalProcessSpawner
from mycompany.auth import CompanyAuthenticator
class MySpawner(LocalProcessSpawner):
    def get_env(self):
        return super().get_env()
c.JupyterHub.spawner_class = MySpawner
c.MySpawner.whatever = 1
c.CompanyAuthenticator.realm = "x"
c.JupyterHub.authenticator_class = CompanyAuthenticator
c.Authenticator.allow_all = True
c.Jupyterhub.port = 8000  # want HUB105 "class Jupyterhub is not defined.*did you mean JupyterHub\?"
