#!/usr/bin/env bash
# Installs (if needed) and starts a local PostgreSQL on 127.0.0.1, creates the test
# role and database, and prints the URL the test suite reads from
# ALLEGIANCE_TEST_POSTGRES. Used by .ci/run; developers may run it too (as root).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
    pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 >&2
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'allegiance') THEN
    CREATE ROLE allegiance LOGIN PASSWORD 'allegiance' CREATEDB;
  END IF;
END $$;
SQL
if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname='allegiance_test'" | grep -q 1; then
    runuser -u postgres -- createdb -O allegiance allegiance_test >&2
fi
echo "postgresql://allegiance:allegiance@127.0.0.1:5432/allegiance_test"
