#!/usr/bin/env bash
# Prepare a machine for the test suite: Python packages, the local services the tests talk
# to for real (PostgreSQL, Redis), and the programs they drive (Chromium, nginx, curl and jq).
# Idempotent: whatever is already there is left alone. Needs root for apt-get (as in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore DEBIAN_FRONTEND=noninteractive

echo "== Python packages (torch first, so pip takes the local CPU build)"
python3 -m pip install -q torch==2.13.0
python3 -m pip install -q -e ".[test]"

echo "== PostgreSQL on 127.0.0.1:5432 (storage, API and replica tests)"
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
pg_isready -h 127.0.0.1 -p 5432

echo "== Redis on 127.0.0.1:6379 (rate limits shared between replicas)"
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping

echo "== curl and jq, for the README's curl example (tests/service/api/test_readme_example.py)"
if ! command -v curl >/dev/null || ! command -v jq >/dev/null; then
    apt-get update -qq && apt-get install -y -qq curl jq
fi

echo "== Chromium for the widget's browser tests (Playwright cannot download a browser here)"
if [ ! -x /usr/bin/chromium ]; then
    apt-get update -qq && apt-get install -y -qq chromium
fi

echo "== nginx, for tests/deploy to check deploy/nginx.conf (nginx -t)"
# Debian's binary unpacked into a folder of its own: installing the package would start a
# server on port 80. Skipped when the machine has nginx or an earlier run unpacked it.
nginx_root=/opt/ticketbot-ci/nginx
if ! command -v nginx >/dev/null && [ ! -x "$nginx_root/usr/sbin/nginx" ]; then
    download=$(mktemp -d)
    chmod 755 "$download"
    chown _apt "$download" 2>/dev/null || true  # apt-get download drops to user _apt
    apt-get update -qq
    (cd "$download" && apt-get download -qq nginx)
    mkdir -p "$nginx_root"
    dpkg-deb -x "$download"/nginx_*.deb "$nginx_root"
    rm -rf "$download"
fi
