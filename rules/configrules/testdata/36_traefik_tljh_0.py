# target: 1.5.0
# companions: jupyterhub-traefik-proxy=0.3.0
# TLJH 1.0.0's traefik-proxy options with TLJH 0.2.0's traefik-proxy
# (0.3.x): the file provider class and traefik_entrypoint came in 1.0.0.
c.TraefikProxy.should_start = False
c.TraefikFileProviderProxy.dynamic_config_file = "/opt/tljh/state/rules/rules.toml"  # want HUB101 "class TraefikFileProviderProxy first appears in traefik-proxy 1.0.0; the release in use does not have it and c.TraefikFileProviderProxy.dynamic_config_file is ignored \(traefik-proxy 0.3.0 installed\)"
c.TraefikProxy.traefik_api_username = "api_admin"
c.TraefikProxy.traefik_entrypoint = "http"  # want HUB101 "c.TraefikProxy.traefik_entrypoint first appears in 1.0.0; traefik-proxy 0.3.0 does not know it"
c.TraefikFileProviderProxy.traefik_api_url = "http://127.0.0.1:8099"  # want HUB101 "class TraefikFileProviderProxy first appears in traefik-proxy 1.0.0"
# TLJH 0.2.0's own settings are options of 0.3.0.
c.TraefikTomlProxy.should_start = False
c.TraefikTomlProxy.toml_dynamic_config_file = "/opt/tljh/state/rules.toml"
c.TraefikTomlProxy.traefik_api_password = "s3cr3t"  # want HUB120 "traefik_api_password holds a password"
