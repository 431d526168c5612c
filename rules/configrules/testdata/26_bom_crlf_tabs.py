# target: 5.5.1
c.Authenticator.allow_all = True
if True:
	c.JupyterHub.port = 8000
	c.JupyterHub.portt = 8000  # want HUB101 "did you mean port\?"
