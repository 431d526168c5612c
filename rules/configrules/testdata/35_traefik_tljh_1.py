# target: 4.1.6
# companions: jupyterhub-traefik-proxy=1.0.1
# The traefik-proxy options TLJH 1.0.0's tljh/jupyterhub_config.py sets
# (TraefikProxy and TraefikFileProviderProxy, from traefik-proxy 1.0.0),
# and one inherited from TraefikProxy through the file-provider section.
c.TraefikProxy.should_start = False
c.TraefikFileProviderProxy.dynamic_config_file = "/opt/tljh/state/rules/rules.toml"
c.JupyterHub.proxy_class = "traefik_file"
c.TraefikProxy.traefik_api_username = "api_admin"
c.TraefikProxy.traefik_api_password = "s3cr3t"  # want HUB120 "traefik_api_password holds a password"
c.TraefikProxy.traefik_entrypoint = "http"
c.TraefikFileProviderProxy.traefik_api_url = "http://127.0.0.1:8099"
c.TraefikProxy.traefik_api_usernme = "x"  # want HUB101 "not an option of TraefikProxy in traefik-proxy 1.0.1 \(traefik-proxy 1.0.1 installed\); did you mean traefik_api_username\?"
