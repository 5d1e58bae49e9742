"""Shared set-up for the pytest suites: scripts/test passes the database it
just tested and the Odoo configuration it used."""

import os
import pathlib
import subprocess
import sys

import pytest

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
