#!/bin/sh
# A read replica: on first start, copy the primary with pg_basebackup -R (which writes
# primary_conninfo and standby.signal), then run as a hot standby that streams the primary's WAL.
# Every role, table, row-level security policy and the signing key of the RLS scope come with it.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -p "${PRIMARY_PORT:-5432}"; do sleep 1; done
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -p "${PRIMARY_PORT:-5432}" \
    -U kvsp_replicator -D "$PGDATA" -R -X stream -c fast
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c hot_standby_feedback=on
