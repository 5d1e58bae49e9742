"""Shared set-up for the pytest suites: scripts/test passes the database it
just tested and the Odoo configuration it used."""

import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import pytest
import requests

REPO = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def odoo_conf():
    conf = os.environ.get("WILLSOFT_ODOO_CONF")
    if not conf:
        pytest.fail(
            "Run these tests through scripts/test (WILLSOFT_ODOO_CONF is unset)."
        )
    return conf


@pytest.fixture(scope="session")
def test_db():
    return os.environ["WILLSOFT_TEST_DB"]


@pytest.fixture(scope="session")
def odoo_bin():
    import odoo

    return str(pathlib.Path(odoo.__file__).resolve().parent.parent / "odoo-bin")


def pgdb(*args):
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "pgdb.py"), *args], check=True
    )


@pytest.fixture
def db_copy():
    """A throw-away copy of the tested database, made by scripts/test before
    pytest-odoo opened the original (PostgreSQL copies only idle databases)."""
    name = os.environ["WILLSOFT_TEST_DB_COPY"]
    yield name
    pgdb("drop", name)


def server_log_problems(text):
    """The lines of an Odoo log that an administrator would worry about."""
    return [
        line
        for line in text.splitlines()
        if any(f" {level} " in line for level in ("WARNING", "ERROR", "CRITICAL"))
    ]


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def served(repo, test_db, tmp_path_factory):
    """scripts/run on a database of its own, for every suite that looks at
    the first run (test_run_command, test_demo_data)."""
    db = f"{test_db}_run"
    port = free_port()
    log = tmp_path_factory.mktemp("run") / "run.log"
    pgdb("drop", db)
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["bash", str(repo / "scripts" / "run"), "--workers=0"],
            env={**os.environ, "WILLSOFT_DB": db, "WILLSOFT_PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 600
        while time.time() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"scripts/run stopped:\n{log.read_text()[-3000:]}")
            try:
                if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(2)
        else:
            pytest.fail(
                f"scripts/run did not serve in time:\n{log.read_text()[-3000:]}"
            )
        yield url, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
        pgdb("drop", db)


def login(url, login_name, password):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{url}/web/login",
        data={"login": login_name, "password": password, "csrf_token": token},
        timeout=60,
    )
    assert response.status_code == 200
    return session
