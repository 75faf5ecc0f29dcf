-- Two roles: the owner runs migrations; the application connects as kvsp_app, which owns
-- nothing and cannot bypass row-level security. Change the passwords in production.
-- Migration 0015 narrows kvsp_app further: audit_entries is INSERT/SELECT only (append-only),
-- alembic_version is read-only, and the row-level security scope must be signed with a key kept
-- in the schema kvsp_private, which kvsp_app cannot read (see README, "Security").
CREATE ROLE kvsp_owner LOGIN PASSWORD 'owner';
CREATE ROLE kvsp_app LOGIN PASSWORD 'app' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
ALTER DATABASE kvsp OWNER TO kvsp_owner;
\connect kvsp
ALTER SCHEMA public OWNER TO kvsp_owner;
GRANT USAGE ON SCHEMA public TO kvsp_app;
ALTER DEFAULT PRIVILEGES FOR ROLE kvsp_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kvsp_app;
ALTER DEFAULT PRIVILEGES FOR ROLE kvsp_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO kvsp_app;
-- Backups and restores: a role that reads and loads past row-level security, and nothing else.
CREATE ROLE kvsp_backup LOGIN PASSWORD 'backup' NOSUPERUSER BYPASSRLS;
GRANT USAGE ON SCHEMA public TO kvsp_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE kvsp_owner IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO kvsp_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE kvsp_owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO kvsp_backup;
