"""deploy/nginx.conf passes nginx's own check (`nginx -t`), in the http block the nginx image
includes it in. No request goes through it here: its upstream is Docker's DNS name `app`."""

from __future__ import annotations

from pathlib import Path

from .support import ROOT, nginx, run


def _check(config: Path, prefix: Path) -> tuple[int, str]:
    main = prefix / "nginx.conf"
    temporary = " ".join(
        f"{kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main.write_text(
        f"pid {prefix / 'nginx.pid'};\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    {temporary}\n    include {config};\n}}\n"
    )
    completed = run([nginx(), "-t", "-e", "stderr", "-p", str(prefix), "-c", str(main)])
    return completed.returncode, completed.stdout + completed.stderr


def test_nginx_accepts_the_proxy_config(tmp_path: Path) -> None:
    status, output = _check(ROOT / "deploy" / "nginx.conf", tmp_path)
    assert status == 0 and "test is successful" in output, output


def test_nginx_rejects_a_broken_config(tmp_path: Path) -> None:
    broken = tmp_path / "broken.conf"
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    broken.write_text(config.replace("proxy_pass $ticketbot_app", "proxy_passes $ticketbot_app"))
    status, output = _check(broken, tmp_path)
    assert status != 0 and "unknown directive" in output, output
