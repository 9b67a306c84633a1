"""PostgreSQL and Redis from the system packages, started on loopback for the scale test."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.runtime.processes import free_port

POSTGRES_BIN = Path("/usr/lib/postgresql")


def _postgres_bin() -> Path | None:
    versions = sorted(POSTGRES_BIN.glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


def _as_postgres_user() -> list[str]:
    # initdb refuses to run as root; the Debian package creates a `postgres` user.
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass
class Services:
    postgres_port: int
    redis_port: int

    def env(self) -> dict[str, str]:
        return {
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(self.postgres_port),
            "POSTGRES_DB": "rasa",
            "POSTGRES_USER": "rasa",
            "POSTGRES_PASSWORD": "rasa-test-password",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(self.redis_port),
        }


@contextmanager
def postgres_and_redis() -> Iterator[Services]:
    bin_dir = _postgres_bin()
    if bin_dir is None or shutil.which("redis-server") is None:
        raise RuntimeError("PostgreSQL and Redis are not installed: run `make test-scale`")
    work = Path(tempfile.mkdtemp(prefix="scale-services-"))
    work.chmod(0o777)
    data = work / "pg"
    services = Services(free_port(), free_port())
    run_as = _as_postgres_user()
    password_file = work / "pw"
    password_file.write_text("rasa-test-password\n")
    password_file.chmod(0o644)
    subprocess.run(
        [*run_as, str(bin_dir / "initdb"), "-D", str(data), "-U", "rasa", "-A", "md5",
         "--pwfile", str(password_file)],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(work / "pg.log"), "-w",
         "-o", f"-p {services.postgres_port} -k {work} -c listen_addresses=127.0.0.1", "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    redis = subprocess.Popen(
        ["redis-server", "--port", str(services.redis_port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        env = {**os.environ, "PGPASSWORD": "rasa-test-password"}
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(services.postgres_port), "-U", "rasa",
             "-d", "postgres", "-c", "CREATE DATABASE rasa"],
            check=True, capture_output=True, env=env,
        )  # fmt: skip
        time.sleep(0.5)
        yield services
    finally:
        redis.terminate()
        redis.wait(timeout=10)
        subprocess.run(
            [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(work, ignore_errors=True)
