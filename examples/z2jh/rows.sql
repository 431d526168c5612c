-- Users and servers of a Zero to JupyterHub 3.3.8 hub (JupyterHub 4.1.6).
INSERT INTO alembic_version VALUES ('0eee8c825d24');
INSERT INTO users (id, name, admin, created, last_activity, cookie_id, state) VALUES
 (1, 'alice', 1, '2025-09-01 08:00:00.000000', '2026-11-20 10:15:00.000000', 'c0a1', '{}'),
 (2, 'Alice.Smith@example.org', 0, '2025-09-01 08:05:00.000000', '2026-11-24 16:40:00.000000', 'c0b2', '{}'),
 (3, 'bob-jones', 0, '2025-09-02 09:00:00.000000', '2026-11-25 09:02:00.000000', 'c0c3', '{}'),
 (4, 'carol', 0, '2025-10-11 13:30:00.000000', '2026-10-01 12:00:00.000000', 'c0d4', '{}');
INSERT INTO servers (id, proto, ip, port, base_url, cookie_name) VALUES
 (1, 'http', '10.0.0.12', 8888, '/user/carol/', 'jupyterhub-user-carol');
INSERT INTO spawners (id, user_id, server_id, state, name, started, last_activity, user_options) VALUES
 (1, 1, NULL, '{"pod_name": "jupyter-alice", "namespace": "jhub", "dns_name": "jupyter-alice.jhub.svc.cluster.local"}', '', NULL, NULL, '{}'),
 (2, 2, NULL, '{}', '', NULL, NULL, '{}'),
 (3, 4, 1, '{}', '', '2026-11-25 08:00:00.000000', '2026-11-25 09:00:00.000000', '{}');
