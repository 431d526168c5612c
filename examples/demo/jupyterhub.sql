CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE servers (
	id INTEGER NOT NULL, 
	proto VARCHAR(15), 
	ip VARCHAR(255), 
	port INTEGER, 
	base_url VARCHAR(255), 
	cookie_name VARCHAR(255), 
	CONSTRAINT pk_servers PRIMARY KEY (id)
);
CREATE TABLE roles (
	id INTEGER NOT NULL, 
	name VARCHAR(255), 
	description VARCHAR(1023), 
	scopes TEXT, 
	CONSTRAINT pk_roles PRIMARY KEY (id), 
	CONSTRAINT uq_roles_name UNIQUE (name)
);
CREATE TABLE groups (
	id INTEGER NOT NULL, 
	name VARCHAR(255), 
	properties TEXT, 
	CONSTRAINT pk_groups PRIMARY KEY (id), 
	CONSTRAINT uq_groups_name UNIQUE (name)
);
CREATE TABLE users (
	id INTEGER NOT NULL, 
	name VARCHAR(255), 
	admin BOOLEAN, 
	created DATETIME, 
	last_activity DATETIME, 
	cookie_id VARCHAR(255) NOT NULL, 
	state TEXT, 
	encrypted_auth_state BLOB, 
	CONSTRAINT pk_users PRIMARY KEY (id), 
	CONSTRAINT uq_users_name UNIQUE (name), 
	CONSTRAINT uq_users_cookie_id UNIQUE (cookie_id)
);
CREATE TABLE oauth_clients (
	id INTEGER NOT NULL, 
	identifier VARCHAR(255), 
	description VARCHAR(1023), 
	secret VARCHAR(255), 
	redirect_uri VARCHAR(1023), 
	allowed_scopes TEXT, 
	CONSTRAINT pk_oauth_clients PRIMARY KEY (id), 
	CONSTRAINT uq_oauth_clients_identifier UNIQUE (identifier)
);
CREATE TABLE user_role_map (
	user_id INTEGER NOT NULL, 
	role_id INTEGER NOT NULL, 
	CONSTRAINT pk_user_role_map PRIMARY KEY (user_id, role_id), 
	CONSTRAINT fk_user_role_map_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT fk_user_role_map_role_id_roles FOREIGN KEY(role_id) REFERENCES roles (id) ON DELETE CASCADE
);
CREATE TABLE group_role_map (
	group_id INTEGER NOT NULL, 
	role_id INTEGER NOT NULL, 
	CONSTRAINT pk_group_role_map PRIMARY KEY (group_id, role_id), 
	CONSTRAINT fk_group_role_map_group_id_groups FOREIGN KEY(group_id) REFERENCES groups (id) ON DELETE CASCADE, 
	CONSTRAINT fk_group_role_map_role_id_roles FOREIGN KEY(role_id) REFERENCES roles (id) ON DELETE CASCADE
);
CREATE TABLE user_group_map (
	user_id INTEGER NOT NULL, 
	group_id INTEGER NOT NULL, 
	CONSTRAINT pk_user_group_map PRIMARY KEY (user_id, group_id), 
	CONSTRAINT fk_user_group_map_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT fk_user_group_map_group_id_groups FOREIGN KEY(group_id) REFERENCES groups (id) ON DELETE CASCADE
);
CREATE TABLE spawners (
	id INTEGER NOT NULL, 
	user_id INTEGER, 
	server_id INTEGER, 
	state TEXT, 
	name VARCHAR(255), 
	started DATETIME, 
	last_activity DATETIME, 
	user_options TEXT, 
	oauth_client_id VARCHAR(255), 
	CONSTRAINT pk_spawners PRIMARY KEY (id), 
	CONSTRAINT fk_spawners_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT fk_spawners_server_id_servers FOREIGN KEY(server_id) REFERENCES servers (id) ON DELETE SET NULL, 
	CONSTRAINT fk_spawners_oauth_client_id_oauth_clients FOREIGN KEY(oauth_client_id) REFERENCES oauth_clients (identifier) ON DELETE SET NULL
);
CREATE TABLE services (
	id INTEGER NOT NULL, 
	name VARCHAR(255), 
	admin BOOLEAN, 
	_server_id INTEGER, 
	pid INTEGER, 
	oauth_client_id VARCHAR(255), 
	CONSTRAINT pk_services PRIMARY KEY (id), 
	CONSTRAINT uq_services_name UNIQUE (name), 
	CONSTRAINT fk_services__server_id_servers FOREIGN KEY(_server_id) REFERENCES servers (id) ON DELETE SET NULL, 
	CONSTRAINT fk_services_oauth_client_id_oauth_clients FOREIGN KEY(oauth_client_id) REFERENCES oauth_clients (identifier) ON DELETE SET NULL
);
CREATE TABLE oauth_codes (
	id INTEGER NOT NULL, 
	client_id VARCHAR(255), 
	code VARCHAR(36), 
	expires_at INTEGER, 
	redirect_uri VARCHAR(1023), 
	session_id VARCHAR(255), 
	user_id INTEGER, 
	scopes TEXT, 
	CONSTRAINT pk_oauth_codes PRIMARY KEY (id), 
	CONSTRAINT fk_oauth_codes_client_id_oauth_clients FOREIGN KEY(client_id) REFERENCES oauth_clients (identifier) ON DELETE CASCADE, 
	CONSTRAINT fk_oauth_codes_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE TABLE service_role_map (
	service_id INTEGER NOT NULL, 
	role_id INTEGER NOT NULL, 
	CONSTRAINT pk_service_role_map PRIMARY KEY (service_id, role_id), 
	CONSTRAINT fk_service_role_map_service_id_services FOREIGN KEY(service_id) REFERENCES services (id) ON DELETE CASCADE, 
	CONSTRAINT fk_service_role_map_role_id_roles FOREIGN KEY(role_id) REFERENCES roles (id) ON DELETE CASCADE
);
CREATE TABLE api_tokens (
	user_id INTEGER, 
	service_id INTEGER, 
	id INTEGER NOT NULL, 
	hashed VARCHAR(255), 
	prefix VARCHAR(16), 
	client_id VARCHAR(255), 
	session_id VARCHAR(255), 
	created DATETIME, 
	expires_at DATETIME, 
	last_activity DATETIME, 
	note VARCHAR(1023), 
	scopes TEXT, 
	CONSTRAINT pk_api_tokens PRIMARY KEY (id), 
	CONSTRAINT fk_api_tokens_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT fk_api_tokens_service_id_services FOREIGN KEY(service_id) REFERENCES services (id) ON DELETE CASCADE, 
	CONSTRAINT uq_api_tokens_hashed UNIQUE (hashed), 
	CONSTRAINT fk_api_tokens_client_id_oauth_clients FOREIGN KEY(client_id) REFERENCES oauth_clients (identifier) ON DELETE CASCADE
);
CREATE INDEX ix_api_tokens_prefix ON api_tokens (prefix);
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
