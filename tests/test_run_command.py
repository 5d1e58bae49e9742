"""scripts/run on a database of its own: it creates it with demo data, serves
Odoo on the port given, and the backend and the portal answer."""

import re

import requests

from conftest import login


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
