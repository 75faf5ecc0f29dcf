#!/bin/sh
# The primary accepts streaming replication from the read replicas (issue 16): a role that may only
# replicate, and a pg_hba.conf line for it. Run once by the postgres image at initialisation.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE kvsp_replicator LOGIN REPLICATION PASSWORD '${REPLICATION_PASSWORD:-replicator}';
SQL
echo "host replication kvsp_replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
