"""This machine's pip settings, rewritten for an image build (deploy/build-image.sh).

pip here may be told to use local wheel directories and file:// indexes, a constraints file
and a CA bundle (a TLS-intercepting proxy's). None of that may end up in the image, and a
bind mount would leave its mount point behind in every layer it was made in. So:

* local directories and files are served over HTTP on the loopback address (the build runs
  on the host's network), through links in ``--serve-root`` that the caller serves;
* the CA bundle becomes a build secret, named ``/run/secrets/pip-ca.crt`` in the config;
* the config itself is written to ``--output``, which the build gets as a secret too.

Prints ``ca=`` the CA bundle's path on this machine (empty when pip has none configured) and
``index_url=`` the index pip uses (as the build must name it).

    python3 deploy/pip_build_config.py --serve-root DIR --base-url http://127.0.0.1:PORT --output FILE
"""

from __future__ import annotations

import argparse
import ast
import configparser
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

CA_IN_BUILD = "/run/secrets/pip-ca.crt"
PYPI = "https://pypi.org/simple"  # pip's default index
# Options whose values are lists of places to look for packages (space or newline separated).
LOCATION_LISTS = {"find-links", "index-url", "extra-index-url"}
# Options naming one local file that pip reads.
LOCAL_FILES = {"constraint", "requirement"}
# Host paths that mean nothing inside the build (the Dockerfile turns the cache off anyway).
DROPPED = {"cache-dir", "log", "log-file", "src", "target", "prefix", "root", "build"}
# A client certificate is a real secret of its own: refuse rather than pass it on half-done.
REFUSED = {"client-cert"}


def pip_settings(python: str) -> dict[str, dict[str, str]]:
    """pip's own view of its configuration (files and PIP_* variables), by section.

    PIP_* variables override the files, as they do for pip; they go to [global].
    """
    completed = subprocess.run([python, "-m", "pip", "config", "list"], capture_output=True, text=True, check=True)
    files: dict[str, dict[str, str]] = {}
    environment: dict[str, str] = {}
    for line in completed.stdout.splitlines():
        name, _, value = line.partition("=")
        section, _, key = name.rpartition(".")
        parsed = ast.literal_eval(value)
        if section == ":env:":
            environment[key] = parsed
        else:
            files.setdefault(section, {})[key] = parsed
    files.setdefault("global", {}).update(environment)
    return files


class Server:
    """The directories to serve: links named 0, 1, ... in the serve root."""

    def __init__(self, root: Path, base_url: str) -> None:
        self.root, self.base_url, self.served = root, base_url.rstrip("/"), {}
        root.mkdir(parents=True, exist_ok=True)
        for old in root.iterdir():  # what a previous build served
            if old.is_symlink():
                old.unlink()
            else:
                shutil.rmtree(old)

    def url(self, path: Path) -> str:
        path = path.resolve()
        if not path.exists():
            raise SystemExit(f"pip_build_config: pip is configured with {path}, which does not exist")
        if path.is_file():  # one file (a constraints file): only that file, under its own name
            if path not in self.served:
                self.served[path] = str(len(self.served))
                (self.root / self.served[path]).mkdir()
                (self.root / self.served[path] / path.name).symlink_to(path)
            return f"{self.base_url}/{self.served[path]}/{quote(path.name)}"
        # A PEP 503 index on disk ("/x/simple") links to its files as ../../files/...: serve its parent.
        top = path.parent if path.name == "simple" else path
        if top not in self.served:
            self.served[top] = str(len(self.served))
            (self.root / self.served[top]).symlink_to(top, target_is_directory=True)
        inside = path.relative_to(top).as_posix()
        return f"{self.base_url}/{self.served[top]}/" + ("" if inside == "." else quote(inside) + "/")

    def location(self, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme == "file":
            return self.url(Path(unquote(parsed.path)))
        if not parsed.scheme and value.startswith(("/", ".", "~")):
            return self.url(Path(value).expanduser())
        return value  # a remote URL: the build reaches it as this machine does


def rewrite(settings: dict[str, dict[str, str]], server: Server) -> tuple[configparser.ConfigParser, str]:
    config = configparser.ConfigParser(interpolation=None)
    ca = ""
    for section, options in settings.items():
        for key, value in options.items():
            if key in REFUSED:
                raise SystemExit(f"pip_build_config: {section}.{key} is set; pass it to the build yourself")
            if key in DROPPED:
                print(
                    f"pip_build_config: leaving out {section}.{key}={value!r} (a path on this machine)", file=sys.stderr
                )
                continue
            if key == "cert":
                ca, value = str(Path(value).resolve()), CA_IN_BUILD
            elif key in LOCATION_LISTS:
                value = " ".join(server.location(v) for v in value.split())
            elif key in LOCAL_FILES:
                value = server.location(value)
            if not config.has_section(section):
                config.add_section(section)
            config.set(section, key, value)
    return config, ca


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve-root", type=Path, required=True)
    parser.add_argument("--base-url", required=True, help="where the caller serves --serve-root")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--python", default=sys.executable, help="whose pip's settings to read")
    arguments = parser.parse_args()
    config, ca = rewrite(pip_settings(arguments.python), Server(arguments.serve_root, arguments.base_url))
    with arguments.output.open("w") as out:
        config.write(out)
    index = config.get("install", "index-url", fallback=config.get("global", "index-url", fallback=PYPI))
    print(f"ca={ca}")
    print(f"index_url={index}")


if __name__ == "__main__":
    main()
