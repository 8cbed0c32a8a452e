#!/usr/bin/env bash
# Make sure Redis answers on 127.0.0.1:6379 before the production-path tests run; start the
# machine's redis-server (no persistence) if it is installed but not running. Never fails itself:
# without Redis the production-path browser tests fail with a clear message.
set -uo pipefail

if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "ensure_redis: Redis is already answering on 127.0.0.1:6379"
    exit 0
fi
if ! command -v redis-server >/dev/null 2>&1; then
    echo "ensure_redis: redis-server is not installed; install it (apt-get install redis-server)"
    exit 0
fi
echo "ensure_redis: starting redis-server on 127.0.0.1:6379"
mkdir -p /var/lib/redis /var/log/redis
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/o365portal.log
for _ in $(seq 1 20); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0
    sleep 0.5
done
echo "ensure_redis: Redis did not answer after starting"
