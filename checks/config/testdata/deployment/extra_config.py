# Loaded by jupyterhub_config.py with load_subconfig("extra_config.py").
c.JupyterHub.template_vars = {"org": "Example"}
load_subconfig("jupyterhub_config.py")  # a loop: read once only
