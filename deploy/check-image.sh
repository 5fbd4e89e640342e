#!/usr/bin/env bash
# Run the image deploy/build-image.sh built, as a deployment would, and book a flight through
# it over HTTP: first on its own SQLite file in a volume (and again after a restart on that
# volume), then on this machine's PostgreSQL. Exits non-zero at the first step that does not
# hold; removes the containers, the volume and the database it made.
#
#   deploy/check-image.sh            # as root, after deploy/build-image.sh
#
# Environment:
#   TICKETBOT_IMAGE, TICKETBOT_PODMAN_DIR   as for deploy/build-image.sh
#   TICKETBOT_CHECK_POSTGRES   the PostgreSQL server, as the host reaches it
#                              (postgresql://postgres@127.0.0.1:5432); empty: no PostgreSQL run
#   TICKETBOT_CHECK_DATABASE   the database made (dropped first) for the check (ticketbot_image_check)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/podman-env.sh
. "$here/podman-env.sh"

postgres=${TICKETBOT_CHECK_POSTGRES-postgresql://postgres@127.0.0.1:5432}
database=${TICKETBOT_CHECK_DATABASE:-ticketbot_image_check}
need curl curl
need jq jq
[ -z "$postgres" ] || need psql postgresql-client
podman image exists "$image" || fail "no image $image: run deploy/build-image.sh first"

volume=ticketbot-check-data-$$
containers=()
database_made=false
cleanup() {
    local status=$?
    for container in "${containers[@]}"; do
        if [ "$status" != 0 ]; then  # what it said before it failed
            echo "--- last log lines of $container:" >&2
            podman logs --tail 30 "$container" >&2 2>&1 || true
        fi
        podman rm -f -t 10 "$container" 2>&1 >/dev/null | without_timer_noise || true
    done
    podman volume rm -f "$volume" >/dev/null 2>&1 || true
    if $database_made; then
        psql "$postgres/postgres" -qAt -c "drop database if exists $database" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

# Without systemd, podman reports (as errors) that it cannot add, start or remove the timer
# of a container's health check; healthy() below runs the check itself. All else is shown.
without_timer_noise() {
    grep -v 'unable to get systemd connection to .* healthchecks' >&2 || true
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start NAME PORT PODMAN-RUN-OPTIONS...: start the image's own command, return when /readyz
# says ready, and print the seconds from `podman run` to then, and from the container's
# start (podman run first copies the image into the container: vfs) to then.
start() {
    local name=$1 port=$2 begun started
    shift 2
    begun=$(now_ms)
    podman run -d --name "$name" -p "127.0.0.1:$port:8000" "$@" "$image" 2>&1 >/dev/null | without_timer_noise
    started=$(now_ms)
    for _ in $(seq 600); do
        if [ "$(curl -fsS -m 2 "http://127.0.0.1:$port/readyz" 2>/dev/null | jq -r .status 2>/dev/null)" = ready ]; then
            echo "$(seconds_since "$begun") $(seconds_since "$started")"
            return 0
        fi
        [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || fail "$name stopped before it was ready"
        sleep 0.2
    done
    fail "$name: /readyz did not say ready within two minutes"
}

# healthy NAME: the image's own HEALTHCHECK, as podman runs it. Without systemd podman sets
# no timer for it, so run it here until it passes (its start period is 120 s).
healthy() {
    local name=$1 test
    test=$(podman inspect -f '{{json .Config.Healthcheck.Test}}' "$name")
    [[ $test == *urllib.request* ]] || fail "$name has no health check from the image ($test)"
    for _ in $(seq 60); do
        if podman healthcheck run "$name" >/dev/null 2>&1; then
            echo "check-image: $name is $(podman inspect -f '{{.State.Health.Status}}' "$name") by its own HEALTHCHECK"
            return 0
        fi
        sleep 2
    done
    fail "$name: its health check did not pass within two minutes"
}

# book PORT: a conversation, a flight asked for and confirmed, and the booking read back with
# the conversation's token. Prints "REFERENCE TOKEN".
book() {
    local api="http://127.0.0.1:$1/api/v1" started conversation id token reply reference
    started=$(curl -fsS -X POST "$api/conversations")
    id=$(jq -er .conversation_id <<<"$started")
    token=$(jq -er .token <<<"$started")
    say() {
        curl -fsS -X POST "$api/conversations/$id/messages" -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' --data "$(jq -cn --arg text "$1" '{text: $text}')"
    }
    reply=$(say "I want to arrive in Taipei on Nov. 2nd")
    echo "check-image:   > I want to arrive in Taipei on Nov. 2nd" >&2
    echo "check-image:   < $(jq -r .reply <<<"$reply")" >&2
    jq -e '.status == "confirming"' <<<"$reply" >/dev/null || fail "no confirmation asked: $reply"
    reply=$(say yes)
    echo "check-image:   > yes" >&2
    echo "check-image:   < $(jq -r .reply <<<"$reply")" >&2
    jq -e '.status == "booked" and (.reply | contains("Booked!"))' <<<"$reply" >/dev/null || fail "not booked: $reply"
    reference=$(jq -er .booking.reference <<<"$reply")
    read_back "$1" "$reference" "$token"
    conversation=$(curl -fsS "$api/conversations/$id" -H "Authorization: Bearer $token")
    jq -e '.status == "booked"' <<<"$conversation" >/dev/null || fail "the conversation is not booked: $conversation"
    echo "$reference $token"
}

read_back() {  # read_back PORT REFERENCE TOKEN
    local booking
    booking=$(curl -fsS "http://127.0.0.1:$1/api/v1/bookings/$2" -H "Authorization: Bearer $3")
    jq -e --arg reference "$2" '.reference == $reference and .status == "confirmed" and .destination.city == "Taipei"' \
        <<<"$booking" >/dev/null || fail "GET /api/v1/bookings/$2 says: $booking"
    echo "check-image:   GET /api/v1/bookings/$2: $(jq -c '{reference, status, destination: .destination.city, arrival: .arrival.date}' <<<"$booking")" >&2
}

# memory NAME: the container's memory as podman's stats see it (its cgroup), and the resident
# set of its main process (the server: one worker) from /proc.
memory() {
    local pid
    pid=$(podman inspect -f '{{.State.Pid}}' "$1")
    echo "check-image: $1 memory: podman stats $(podman stats --no-stream --format '{{.MemUsage}}' "$1"), main process VmRSS $(awk '/^VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$pid/status")"
}

echo "check-image: $image ($(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}'))"

# ---- 1. SQLite on the image's own volume ------------------------------------------------
name=ticketbot-check-sqlite-$$
port=$(free_port)
containers+=("$name")
timing=$(start "$name" "$port" -v "$volume:/app/data")
read -r total after_start <<<"$timing"
echo "check-image: $name ready ${total} s after podman run (${after_start} s after its start)"
healthy "$name"
booked=$(book "$port")
read -r reference token <<<"$booked"
echo "check-image: booked $reference on SQLite"
memory "$name"
# The booking outlives the container: a new one on the same volume still has it.
podman rm -f -t 10 "$name" 2>&1 >/dev/null | without_timer_noise
name=ticketbot-check-sqlite-again-$$
port=$(free_port)
containers+=("$name")
timing=$(start "$name" "$port" -v "$volume:/app/data")
read -r total after_start <<<"$timing"
echo "check-image: $name (same volume) ready ${total} s after podman run (${after_start} s after its start)"
read_back "$port" "$reference" "$token"
podman run --rm --network none -v "$volume:/app/data" "$image" \
    python -c "import sqlite3, sys; sys.exit(0 if sqlite3.connect('/app/data/ticketbot.db').execute('select 1 from bookings where reference = ?', (sys.argv[1],)).fetchone() else 1)" \
    "$reference" 2>&1 >/dev/null | without_timer_noise || fail "$reference is not in the volume's /app/data/ticketbot.db"
echo "check-image: $reference is in the volume's /app/data/ticketbot.db after a restart"
podman rm -f -t 10 "$name" 2>&1 >/dev/null | without_timer_noise

# ---- 2. this machine's PostgreSQL ---------------------------------------------------------
if [ -n "$postgres" ]; then
    PGOPTIONS=--client-min-messages=warning psql "$postgres/postgres" -v ON_ERROR_STOP=1 -qAt \
        -c "drop database if exists $database" -c "create database $database"
    database_made=true
    # slirp4netns with allow_host_loopback: the container reaches the host's 127.0.0.1 as
    # 10.0.2.2, so a server listening on loopback only is reachable, the image's own
    # command (port 8000) runs unchanged, and the port is published on loopback alone.
    in_container=${postgres/@127.0.0.1:/@10.0.2.2:}
    in_container=${in_container/@localhost:/@10.0.2.2:}
    name=ticketbot-check-postgres-$$
    port=$(free_port)
    containers+=("$name")
    timing=$(start "$name" "$port" --network slirp4netns:allow_host_loopback=true \
        -e "TICKETBOT_DATABASE_URL=$in_container/$database")
    read -r total after_start <<<"$timing"
    echo "check-image: $name ready ${total} s after podman run (${after_start} s after its start)"
    healthy "$name"
    # `ticketbot serve` migrated the empty database when it started (no --no-migrate here).
    revision=$(psql "$postgres/$database" -qAt -c 'select version_num from alembic_version')
    echo "check-image: $database migrated by the server's start to revision $revision"
    booked=$(book "$port")
    read -r reference token <<<"$booked"
    stored=$(psql "$postgres/$database" -qAt -c "select status from bookings where reference = '$reference'")
    [ "$stored" = confirmed ] || fail "$reference is not a confirmed booking in $database (${stored:-no row})"
    echo "check-image: booked $reference on PostgreSQL (the row is in $database)"
    memory "$name"
fi
echo "check-image: all checks passed"
