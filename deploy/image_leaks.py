"""Does a built image hold any of the build machine's package-index settings? (deploy/build-image.sh)

Looks through an image's files (``podman image mount``) and its metadata for:

* any ``pip.conf`` or ``pip.ini``;
* the address the build's pip settings were served on, the secret's path, and the local
  directories behind them (e.g. /opt/wheels);
* any certificate of this machine's CA bundle that is not one of the distribution's public
  ones (``/usr/share/ca-certificates/mozilla``): a proxy's CA, which must stay a build secret.

Prints what it found and exits 1 when it found anything.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PEM = re.compile(r"-----BEGIN CERTIFICATE-----\s*(.*?)\s*-----END CERTIFICATE-----", re.S)
PUBLIC_CAS = Path("/usr/share/ca-certificates/mozilla")


def certificates(text: str) -> list[str]:
    """Each certificate's base64 body, without line breaks."""
    return ["".join(body.split()) for body in PEM.findall(text)]


def local_cas(bundle: Path) -> list[str]:
    """The certificates of ``bundle`` that the distribution does not ship."""
    if not PUBLIC_CAS.is_dir():
        raise SystemExit(
            f"image_leaks: {PUBLIC_CAS} is missing (apt-get install ca-certificates): "
            "it tells this machine's own CAs from the public ones"
        )
    public = {c for path in PUBLIC_CAS.glob("*.crt") for c in certificates(path.read_text(errors="replace"))}
    return [c for c in certificates(bundle.read_text(errors="replace")) if c not in public]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="the image's files (podman image mount)")
    parser.add_argument("--metadata", type=Path, help="podman image inspect and history output, to search too")
    parser.add_argument("--ca", type=Path, help="the CA bundle the build got as a secret")
    parser.add_argument("--serve-root", type=Path, help="deploy/pip_build_config.py's links to local dirs")
    parser.add_argument("--text", action="append", default=[], help="a string that must not appear")
    arguments = parser.parse_args()

    found: list[str] = []
    for top, directories, files in os.walk(arguments.root):
        directories[:] = [d for d in directories if not os.path.islink(os.path.join(top, d))]
        for name in files:
            if name.lower() in ("pip.conf", "pip.ini"):
                found.append(f"a pip config file: /{os.path.relpath(os.path.join(top, name), arguments.root)}")

    # Fixed strings for grep: the build's own names, the local directories it served, and a
    # 64-character line of each local CA as it would appear in a copied PEM file.
    patterns = list(arguments.text)
    if arguments.serve_root and arguments.serve_root.is_dir():
        for entry in arguments.serve_root.iterdir():
            targets = [entry] if entry.is_symlink() else list(entry.iterdir())
            patterns += [str(Path(os.readlink(t))) for t in targets]
    cas = local_cas(arguments.ca) if arguments.ca else []
    patterns += [body[64:128] for body in cas]
    print(f"image_leaks: {len(patterns)} strings ({len(cas)} local CA certificates) searched for", file=sys.stderr)
    with tempfile.NamedTemporaryFile("w", suffix=".patterns") as listed:
        listed.write("\n".join(p for p in patterns if p) + "\n")
        listed.flush()
        places = [str(arguments.root)] + ([str(arguments.metadata)] if arguments.metadata else [])
        grep = subprocess.run(
            ["grep", "-rlF", "--no-messages", "-f", listed.name, *places], capture_output=True, text=True
        )
        if grep.returncode > 1:
            raise SystemExit(f"image_leaks: grep failed: {grep.stderr}")
        for path in grep.stdout.splitlines():
            hits = subprocess.run(["grep", "-aoF", "-f", listed.name, path], capture_output=True, text=True)
            what = sorted(set(hits.stdout.split()))[:3]
            shown = path if path == str(arguments.metadata) else "/" + os.path.relpath(path, arguments.root)
            found.append(f"{shown} holds {', '.join(w[:40] for w in what)}")
    for line in found:
        print(f"image_leaks: {line}")
    if not found:
        print("image_leaks: no pip config, build address, local path or local CA in the image", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
