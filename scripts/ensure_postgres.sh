#!/usr/bin/env bash
# Make sure PostgreSQL accepts connections on 127.0.0.1:5432 before the tests run.
# If it does not and a Debian cluster is installed, start that cluster. Never fails the build:
# without PostgreSQL the Postgres tests skip with a reason (and fail when CI=true).
set -uo pipefail

HOST=127.0.0.1
PORT=5432

accepting() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$HOST" -p "$PORT"
    else
        (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
    fi
}

if accepting; then
    echo "ensure_postgres: PostgreSQL is already accepting connections on $HOST:$PORT"
    exit 0
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /etc/postgresql ]; then
    echo "ensure_postgres: PostgreSQL is not running and no Debian cluster is installed; Postgres tests will skip"
    exit 0
fi

version=$(ls /etc/postgresql | sort -V | tail -n 1)
if [ -z "$version" ] || [ ! -d "/etc/postgresql/$version/main" ]; then
    echo "ensure_postgres: no 'main' cluster under /etc/postgresql; Postgres tests will skip"
    exit 0
fi

echo "ensure_postgres: starting PostgreSQL $version cluster 'main'"
if ! pg_ctlcluster --skip-systemctl-redirect "$version" main start; then
    echo "ensure_postgres: could not start the cluster; Postgres tests will skip"
    exit 0
fi

for _ in $(seq 1 20); do
    if accepting; then
        echo "ensure_postgres: PostgreSQL $version is accepting connections on $HOST:$PORT"
        exit 0
    fi
    sleep 0.5
done
echo "ensure_postgres: PostgreSQL $version started but is not accepting connections yet; Postgres tests may skip"
exit 0
