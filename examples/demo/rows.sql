-- Rows of a small course hub that has run JupyterHub 4.1.6 for a term.
INSERT INTO alembic_version VALUES ('0eee8c825d24');
INSERT INTO roles (id, name, description, scopes) VALUES
 (1, 'user', 'Standard user privileges', '["self"]'),
 (2, 'admin', 'Elevated privileges (can do anything)', '["admin-ui","admin:users","admin:servers","tokens","admin:groups","list:services","read:services","read:hub","proxy","shutdown","access:services","access:servers","read:roles","read:metrics","shares"]'),
 (3, 'server', 'Post activity only', '["users:activity!user","access:servers!server"]'),
 (4, 'token', 'Token with same permissions as its owner', '["inherit"]'),
 (5, 'grader', 'Course graders', '["admin:servers!group=students","list:users!group=students"]');
INSERT INTO groups (id, name, properties) VALUES (1, 'students', '{}'), (2, 'staff', '{"course": "ds101"}');
INSERT INTO users (id, name, admin, created, last_activity, cookie_id, state) VALUES
 (1, 'alice', 1, '2025-09-01 08:00:00.000000', '2026-11-20 10:15:00.000000', 'c0a1', '{}'),
 (2, 'bob', 0, '2025-09-01 08:05:00.000000', '2026-11-24 16:40:00.000000', 'c0b2', '{}'),
 (3, 'carol', 0, '2025-09-02 09:00:00.000000', '2026-11-25 09:02:00.000000', 'c0c3', '{}'),
 (4, 'dave', 0, '2025-10-11 13:30:00.000000', '2026-10-01 12:00:00.000000', 'c0d4', '{}'),
 (5, 'erin', 0, '2026-01-15 14:00:00.000000', '2026-11-25 08:30:00.000000', 'c0e5', '{}'),
 (6, 'grader1', 0, '2026-02-01 10:00:00.000000', '2026-11-23 11:11:00.000000', 'c0f6', '{}');
INSERT INTO user_role_map VALUES (1,1),(1,2),(2,1),(3,1),(4,1),(5,1),(6,1),(6,5);
INSERT INTO user_group_map VALUES (2,1),(3,1),(4,1),(5,1),(1,2),(6,2);
INSERT INTO group_role_map VALUES (2,5);
INSERT INTO oauth_clients (id, identifier, description, secret, redirect_uri, allowed_scopes) VALUES
 (1, 'jupyterhub', 'JupyterHub', NULL, '/hub/oauth_callback', '[]'),
 (2, 'jupyterhub-user-carol', 'Server at /user/carol/', NULL, '/user/carol/oauth_callback', '["access:servers!server=carol/"]'),
 (3, 'jupyterhub-user-erin', 'Server at /user/erin/', NULL, '/user/erin/oauth_callback', '["access:servers!server=erin/"]'),
 (4, 'service-cull-idle', 'cull-idle', NULL, '', '[]');
INSERT INTO servers (id, proto, ip, port, base_url, cookie_name) VALUES
 (1, 'http', '127.0.0.1', 50001, '/user/carol/', 'jupyterhub-user-carol'),
 (2, 'http', '127.0.0.1', 50002, '/user/erin/', 'jupyterhub-user-erin');
INSERT INTO spawners (id, user_id, server_id, state, name, started, last_activity, user_options, oauth_client_id) VALUES
 (1, 1, NULL, '{}', '', NULL, '2026-11-20 10:15:00.000000', '{}', NULL),
 (2, 2, NULL, '{}', '', NULL, '2026-11-24 16:40:00.000000', '{}', NULL),
 (3, 3, 1, '{"container_id": "4f1c2d"}', '', '2026-11-25 09:00:00.000000', '2026-11-25 09:02:00.000000', '{}', 'jupyterhub-user-carol'),
 (4, 5, 2, '{"container_id": "9a8b7c"}', '', '2026-11-25 08:28:00.000000', '2026-11-25 08:30:00.000000', '{}', 'jupyterhub-user-erin'),
 (5, 5, NULL, '{}', 'project one', NULL, '2026-11-01 08:30:00.000000', '{}', NULL);
INSERT INTO services (id, name, admin, _server_id, pid, oauth_client_id) VALUES (1, 'cull-idle', 0, NULL, 0, 'service-cull-idle');
INSERT INTO api_tokens (user_id, service_id, id, hashed, prefix, client_id, session_id, created, expires_at, last_activity, note, scopes) VALUES
 (1, NULL, 1, 'sha512:1:a1:aaaa', 'a1b2', 'jupyterhub', NULL, '2025-09-01 08:10:00.000000', NULL, '2026-11-20 10:00:00.000000', 'admin scripts', '["inherit"]'),
 (NULL, 1, 2, 'sha512:1:b2:bbbb', 'c3d4', 'jupyterhub', NULL, '2025-09-01 08:00:00.000000', NULL, '2026-11-25 09:00:00.000000', 'Service cull-idle', '["list:users","admin:servers"]'),
 (3, NULL, 3, 'sha512:1:c3:cccc', 'e5f6', 'jupyterhub-user-carol', NULL, '2026-11-25 09:00:00.000000', NULL, '2026-11-25 09:02:00.000000', 'Server at /user/carol/', '["access:servers!server=carol/"]'),
 (2, NULL, 4, 'sha512:1:d4:dddd', 'a7b8', 'jupyterhub', NULL, '2026-06-01 12:00:00.000000', '2026-07-01 12:00:00.000000', '2026-06-20 12:00:00.000000', 'expired token', '["inherit"]');
