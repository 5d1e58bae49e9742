"""The first run shows the product: the database scripts/run creates is
Willsoft Oy's, with CRM and Email Marketing, and its demo data holds the
privacy work in every state. Read as the demo officer would, over JSON-RPC."""

from datetime import date

import pytest

from conftest import login


@pytest.fixture(scope="module")
def call(served):
    url, _log = served
    session = login(url, "admin", "admin")

    def call_kw(model, method, *args, **kwargs):
        response = session.post(
            f"{url}/web/dataset/call_kw/{model}/{method}",
            json={
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": {"context": {"active_test": False}, **kwargs},
                }
            },
            timeout=120,
        ).json()
        assert "error" not in response, response["error"]
        return response["result"]

    return call_kw


def test_company_is_willsoft_with_the_notice_details(call):
    [company] = call(
        "res.company",
        "search_read",
        [["id", "=", 1]],
        ["name", "company_registry", "city", "privacy_controller_business_id"],
    )
    assert company["name"] == "Willsoft Oy"
    assert company["company_registry"] == "0856972-8"
    assert company["city"] == "Lapua"
    assert company["privacy_controller_business_id"] == "0856972-8"


def test_crm_invoicing_and_email_marketing_with_the_bridges(call):
    names = {
        m["name"]
        for m in call(
            "ir.module.module",
            "search_read",
            [["state", "=", "installed"]],
            ["name"],
        )
    }
    for name in (
        "crm",
        "account",
        "mass_mailing",
        "willsoft_privacy_crm",
        "willsoft_privacy_mass_mailing",
    ):
        assert name in names


def test_customers_in_every_retention_state(call):
    partners = call(
        "res.partner",
        "search_read",
        [["privacy_is_subject", "=", True], ["is_company", "=", True]],
        ["privacy_state", "privacy_category", "supplier_rank"],
    )
    states = {
        p["privacy_state"] for p in partners if p["privacy_category"] == "customer"
    }
    assert states >= {"active", "ended", "hold", "restricted", "anonymised"}
    assert any(p["supplier_rank"] for p in partners)
    prospects = call(
        "res.partner", "search_count", [["privacy_category", "=", "prospect"]]
    )
    assert prospects


def test_invoices_across_fiscal_years(call):
    moves = call(
        "account.move",
        "search_read",
        [
            ["move_type", "=", "out_invoice"],
            ["state", "=", "posted"],
            ["partner_id.name", "=", "Alajärven Metalli Oy"],
        ],
        ["invoice_date"],
    )
    years = {date.fromisoformat(m["invoice_date"]).year for m in moves}
    assert len(years) >= 3


def test_requests_in_each_state_and_kind_one_overdue_one_extended(call):
    requests_ = call(
        "willsoft.privacy.request",
        "search_read",
        [],
        ["state", "kind", "deadline_status", "extension_months"],
    )
    assert {r["state"] for r in requests_} == {
        "new",
        "identity",
        "progress",
        "done",
        "refused",
    }
    assert {r["kind"] for r in requests_} == {
        "access",
        "portability",
        "rectification",
        "erasure",
        "restriction",
        "objection",
        "consent",
    }
    assert any(r["deadline_status"] == "overdue" for r in requests_)
    assert any(r["extension_months"] for r in requests_)
    # Open requests are in the officer's My Activities.
    activities = call(
        "mail.activity",
        "search_read",
        [["res_model", "=", "willsoft.privacy.request"]],
        ["user_id"],
    )
    open_count = sum(r["state"] in ("new", "identity", "progress") for r in requests_)
    assert len(activities) == open_count


def test_consents_with_proof_and_a_withdrawal(call):
    events = call(
        "willsoft.privacy.consent.event",
        "search_read",
        [],
        ["action", "source", "ip_address", "note"],
    )
    given = [e for e in events if e["action"] == "given"]
    assert any(e["ip_address"] for e in given)
    assert any(e["source"] == "phone" and e["note"] for e in given)
    assert any(e["action"] == "withdrawn" for e in events)


def test_published_and_draft_notice(call):
    states = {
        n["state"]
        for n in call("willsoft.privacy.notice", "search_read", [], ["state"])
    }
    assert {"published", "draft"} <= states


def test_audit_log_with_a_run_and_a_check(call):
    events = {
        e["event"]
        for e in call("willsoft.privacy.audit.log", "search_read", [], ["event"])
    }
    assert {"run", "check", "stage1"} <= events


def test_dry_run_has_something_to_show(call):
    values = call("willsoft.privacy.retention.preview", "default_get", ["line_ids"])
    assert values["line_ids"], "the next run would do nothing"


def test_register_holds_no_template_or_internal_partner(call):
    names = {
        p["name"]
        for p in call(
            "res.partner",
            "search_read",
            [["privacy_is_subject", "=", True]],
            ["name"],
        )
    }
    for name in (
        "Default User Template",
        "Portal User Template",
        "Willsoft Oy",
        "Mitchell Admin",
        "Marko Ojala",
        "OdooBot",
    ):
        assert name not in names
    assert "Aino Virtanen" in names
