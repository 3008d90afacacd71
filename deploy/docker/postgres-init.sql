-- Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d), through psql.
-- One database per service, all owned by the login role "backbone" (password "backbone", local dev only).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'backbone') THEN
    CREATE ROLE backbone LOGIN PASSWORD 'backbone';
  END IF;
END
$$;

SELECT format('CREATE DATABASE %I OWNER backbone', name)
FROM unnest(ARRAY['approval', 'supervision', 'enforcement', 'credit', 'inspection', 'console', 'integration']) AS name
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = name)
\gexec
