"""scripts/run on a database of its own: it creates it with demo data, serves
Odoo on the port given, and the backend and the portal answer."""

import os
import re
import signal
import subprocess
import time

import pytest
import requests

from conftest import pgdb


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(repo, test_db, tmp_path_factory):
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


def test_run_prints_urls_and_demo_logins(served):
    url, log = served
    text = log.read_text()
    assert f"{url}/odoo" in text
    assert f"{url}/my" in text
    for name in ("officer", "accountant", "aino"):
        assert re.search(rf"^\s+{name}\s+/ {name}\s", text, re.M), name


def test_login_page_answers(served):
    url, _log = served
    response = requests.get(f"{url}/web/login", timeout=30)
    assert response.status_code == 200
    assert 'name="login"' in response.text


def test_portal_customer_sees_my_account(served):
    url, _log = served
    anonymous = requests.get(f"{url}/my", timeout=30)
    assert "/web/login" in anonymous.url  # the portal asks who you are
    session = login(url, "aino", "aino")
    my = session.get(f"{url}/my", timeout=60)
    assert my.status_code == 200
    assert "Aino Virtanen" in my.text
    assert "/web/login" not in my.url


def test_officer_reaches_the_privacy_register(served):
    url, _log = served
    session = login(url, "officer", "officer")
    response = session.post(
        f"{url}/web/action/load",
        json={
            "params": {
                "action_id": "willsoft_privacy.res_partner_action_privacy_register"
            }
        },
        timeout=60,
    )
    assert response.json()["result"]["res_model"] == "res.partner"
    partners = session.post(
        f"{url}/web/dataset/call_kw/res.partner/search_read",
        json={
            "params": {
                "model": "res.partner",
                "method": "search_read",
                "args": [[["privacy_state", "=", "hold"]], ["name"]],
                "kwargs": {},
            }
        },
        timeout=60,
    ).json()["result"]
    assert [p["name"] for p in partners] == ["Kauhavan Kuljetus Oy"]
