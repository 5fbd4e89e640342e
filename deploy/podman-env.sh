# Sourced by deploy/build-image.sh and deploy/check-image.sh: rootful podman with its own
# storage and settings under $TICKETBOT_PODMAN_DIR, so the machine's /etc/containers (and
# any other podman user's images) are left alone.
# shellcheck shell=bash

state_dir=${TICKETBOT_PODMAN_DIR:-/var/tmp/ticketbot-podman}
# shellcheck disable=SC2034  # read by the scripts that source this file
image=${TICKETBOT_IMAGE:-localhost/ticketbot:local}

fail() {
    echo "${0##*/}: $*" >&2
    exit 1
}

need() {  # need COMMAND PACKAGE
    command -v "$1" >/dev/null || fail "$1 is missing: apt-get install -y $2"
}

# A clock in milliseconds, for the figures.
now_ms() {
    date +%s%3N
}

seconds_since() {  # seconds_since START_MS -> "12.3"
    local elapsed=$(($(now_ms) - $1))
    printf '%d.%d' $((elapsed / 1000)) $((elapsed % 1000 / 100))
}

[ "$(id -u)" = 0 ] || fail "run as root: rootful podman with chroot isolation, and debootstrap"
need podman podman
# crun (podman's default runtime) refuses a hybrid cgroup hierarchy (v1 controllers beside a
# v2 tree that holds one), which some VMs have; runc runs on both kinds.
need runc runc
mkdir -p "$state_dir"

# vfs: plain directory copies, no overlay filesystem needed (nested VMs and containers often
# lack one). It costs a full copy per layer, which is most of the build's disk and time.
# Run-time state goes under /run (a tmpfs on most machines), as podman's own does: it must
# not survive a reboot.
# shellcheck disable=SC2034  # build-image.sh removes it for a cold build
run_dir=/run/ticketbot-podman
cat >"$state_dir/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$state_dir/storage"
runroot = "$run_dir/storage"
EOF

# podman's default limits (1048576 open files, 4194304 processes) are above what root may
# set where it lacks CAP_SYS_RESOURCE (then the runtime fails with "setrlimit: operation not
# permitted"): ask for no more than this shell's hard limits, and, for processes, no more
# than the kernel's pid_max (runc is refused above it).
limit_files=$(ulimit -Hn)
limit_processes=$(ulimit -Hu)
pid_max=$(cat /proc/sys/kernel/pid_max)
if [ "$limit_files" = unlimited ] || [ "$limit_files" -gt 1048576 ]; then
    limit_files=1048576
fi
if [ "$limit_processes" = unlimited ] || [ "$limit_processes" -gt "$pid_max" ]; then
    limit_processes=$pid_max
fi
cat >"$state_dir/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$limit_files:$limit_files", "nproc=$limit_processes:$limit_processes"]

[engine]
runtime = "runc"
tmp_dir = "$run_dir/libpod"
EOF

export CONTAINERS_STORAGE_CONF="$state_dir/storage.conf" CONTAINERS_CONF="$state_dir/containers.conf"
