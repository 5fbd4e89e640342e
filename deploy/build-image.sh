#!/usr/bin/env bash
# Build the project's Dockerfile where no Docker engine runs and no image registry answers:
# rootful podman (vfs storage, chroot isolation) on a Debian base image made here with
# debootstrap. This machine's pip settings (indexes, local wheels, a proxy's CA) reach the
# build as secrets and a loopback HTTP server, and the image is then searched for them.
#
#   deploy/build-image.sh            # as root: localhost/ticketbot:local
#   deploy/build-image.sh --fresh    # a cold build: no base image and no layer cache first
#   deploy/check-image.sh            # then run it (health, /readyz, bookings)
#
# Environment:
#   TICKETBOT_IMAGE         the tag to build (localhost/ticketbot:local)
#   TICKETBOT_PODMAN_DIR    podman's storage and settings for these scripts (/var/tmp/ticketbot-podman)
#   TICKETBOT_BASE_SUITE    the Debian release of the base image (bookworm: Python 3.11)
#   TICKETBOT_DEBIAN_MIRROR, TICKETBOT_DEBIAN_SECURITY_MIRROR   where debootstrap and apt fetch from
#   TORCH_INDEX             PyTorch's wheel index; unset: the Dockerfile's (PyTorch's CPU
#                           index) when it answers, else the index pip uses here
#   TICKETBOT_BUILD_LAYERS  1: keep a layer per instruction, a cache for the next build (with
#                           vfs each one is a full copy of the image so far: slower, ~10 GB)
#
# Everyone with a registry keeps the Dockerfile's default base, python:3.12-slim-trixie.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
# shellcheck source=deploy/podman-env.sh
. "$here/podman-env.sh"

fresh=false
case "${1:-}" in
    --fresh) fresh=true ;;
    "") ;;
    *) fail "usage: $0 [--fresh]" ;;
esac

suite=${TICKETBOT_BASE_SUITE:-bookworm}
mirror=${TICKETBOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${TICKETBOT_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
base=localhost/ticketbot-base:$suite
need python3 python3
need curl curl

server=""
rootfs="$state_dir/rootfs-$suite"
mounted=false
cleanup() {
    [ -z "$server" ] || kill "$server" 2>/dev/null || true
    ! $mounted || podman image unmount "$image" >/dev/null || true
    rm -rf "$rootfs"
}
trap cleanup EXIT

if $fresh; then
    # Only this script's own storage: other podman users' images live elsewhere.
    [ -z "$(podman ps -aq 2>/dev/null)" ] || fail "containers exist in $state_dir/storage: podman rm them first"
    rm -rf "$state_dir/storage" "$run_dir"
fi
started=$(now_ms)

# ---- 1. the base image: Debian from its mirror, as no registry can be reached --------------
base_started=$(now_ms)
if podman image exists "$base"; then
    echo "build-image: reusing the base image $base"
    base_seconds=0
else
    need debootstrap debootstrap
    echo "build-image: making $base with debootstrap from $mirror"
    rm -rf "$rootfs"
    if ! debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$state_dir/debootstrap.log" 2>&1; then
        tail -20 "$state_dir/debootstrap.log" >&2
        fail "debootstrap failed: $state_dir/debootstrap.log"
    fi
    # The sources Debian's own images have: the release, its updates and its security fixes
    # (the Dockerfile installs Python from them).
    cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
EOF
    # debootstrap's downloaded packages and indexes: dead weight in every image on this base.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
    # As in Debian's own images, apt keeps no caches: the Dockerfile's apt-get would leave
    # ~90 MB of them (package caches, downloaded .debs) in the image otherwise.
    cat >"$rootfs/etc/apt/apt.conf.d/90ticketbot-no-cache" <<'EOF'
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
EOF
    # An imported tarball has no environment: give it Debian's PATH (the Dockerfile's runtime
    # stage extends $PATH, which would otherwise be empty).
    tar --numeric-owner -C "$rootfs" -c . |
        podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'CMD ["bash"]' - "$base" >/dev/null
    rm -rf "$rootfs"
    base_seconds=$(seconds_since "$base_started")
fi

# ---- 2. this machine's pip settings: secrets and a loopback server, never a layer ---------
build_args=(--build-arg "BASE_IMAGE=$base")
secrets=()
serve_root="$state_dir/pip-serve"
pip_conf="$state_dir/pip-build.conf"
ca=""
index_url=https://pypi.org/simple
rm -rf "$serve_root" "$pip_conf"
if python3 -m pip --version >/dev/null 2>&1; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    (umask 077 && : >"$pip_conf")
    while IFS='=' read -r key value; do
        case "$key" in
            ca) ca=$value ;;
            index_url) index_url=$value ;;
        esac
    done < <(python3 "$here/pip_build_config.py" --serve-root "$serve_root" \
        --base-url "http://127.0.0.1:$port" --output "$pip_conf")
    python3 -m http.server --bind 127.0.0.1 --directory "$serve_root" "$port" >"$state_dir/pip-serve.log" 2>&1 &
    server=$!
    for _ in $(seq 50); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
        kill -0 "$server" 2>/dev/null || fail "the loopback server for pip's local files did not start: $state_dir/pip-serve.log"
        sleep 0.2
    done
    secrets+=(--secret "id=pip.conf,src=$pip_conf")
    [ -z "$ca" ] || secrets+=(--secret "id=pip-ca.crt,src=$ca")
    echo "build-image: pip settings for the build ($pip_conf):"
    sed 's/^/    /' "$pip_conf"
else
    echo "build-image: no pip here, so none of its settings: the build asks PyPI directly"
fi

torch_fallback=false
if [ -n "${TORCH_INDEX:-}" ]; then
    build_args+=(--build-arg "TORCH_INDEX=$TORCH_INDEX")
elif curl -fsS -m 15 -o /dev/null https://download.pytorch.org/whl/cpu/torch/ 2>/dev/null; then
    echo "build-image: torch from the Dockerfile's index (PyTorch's CPU wheels)"
else
    # PyTorch's index is out of reach: the index pip uses here. A local CPU wheel of the
    # same version in find-links wins over PyPI's (CUDA) one, as 2.13.0+cpu > 2.13.0;
    # checked below.
    echo "build-image: https://download.pytorch.org does not answer: torch from $index_url and pip's find-links"
    build_args+=(--build-arg "TORCH_INDEX=$index_url")
    torch_fallback=true
fi

# ---- 3. the build ----------------------------------------------------------------------
# --format docker: HEALTHCHECK and SHELL exist only in Docker's image format (podman drops
# them from OCI images). --network host: the RUN steps reach apt's mirror and the loopback
# server. --pull=never: the base is local; never ask a registry. --layers=false (unless
# TICKETBOT_BUILD_LAYERS=1): one commit per stage, not per instruction, as vfs copies the
# whole image for each.
layers=false
[ "${TICKETBOT_BUILD_LAYERS:-0}" = 0 ] || layers=true
build_started=$(now_ms)
podman build --format docker --isolation chroot --network host --pull=never --layers="$layers" \
    "${build_args[@]}" "${secrets[@]}" -t "$image" -f "$root/Dockerfile" "$root"
build_seconds=$(seconds_since "$build_started")
# The image this tag named before is now untagged: in this private storage nothing else
# uses it, and with vfs each one is a full copy (1.6 GB).
podman image prune -f >/dev/null

# ---- 4. what the image holds ------------------------------------------------------------
metadata="$state_dir/image-metadata.txt"
{
    podman image inspect "$image"
    podman history --no-trunc --format '{{.CreatedBy}}' "$image"
} >"$metadata"
files=$(podman image mount "$image")
mounted=true
torch_dist=$(find "$files"/opt/venv/lib/python3*/site-packages -maxdepth 1 -name 'torch-*.dist-info' -printf '%f\n')
[ -n "$torch_dist" ] || fail "no torch in the image's /opt/venv"
if $torch_fallback && [[ $torch_dist != *+cpu.dist-info ]]; then
    fail "torch is $torch_dist, not the CPU build: pip took it from $index_url, not from find-links"
fi
leak_check=(python3 "$here/image_leaks.py" --root "$files" --metadata "$metadata")
[ -z "$ca" ] || leak_check+=(--ca "$ca")
if [ -d "$serve_root" ]; then
    leak_check+=(--serve-root "$serve_root" --text "127.0.0.1:$port" --text /run/secrets/pip-ca.crt)
fi
"${leak_check[@]}"
python_version=$(basename "$(dirname "$(find "$files"/opt/venv/lib/python3*/site-packages -maxdepth 0)")")
podman image unmount "$image" >/dev/null
mounted=false

size=$(podman image inspect --format '{{.Size}}' "$image")
echo "build-image: built $image on $base (${python_version/python/Python }, ${torch_dist%.dist-info})"
echo "build-image: image size $((size / 1000000)) MB ($size bytes)"
echo "build-image: base image ${base_seconds} s, podman build ${build_seconds} s (layers: $layers), total $(seconds_since "$started") s"
