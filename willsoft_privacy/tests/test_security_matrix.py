# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from urllib.parse import quote, urlencode

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import tampered

VICTIM = "vera.matrix@lk.example"
# What an attempt must leave as it was: whole rows of the tables that hold
# what an attacker is after.
SNAPSHOT = {
    "res_partner": "id, name, email, active, privacy_email_proven, "
    "privacy_hold_reason, privacy_hold_until, privacy_source_note",
    "willsoft_privacy_request": "id, state, partner_id, kind, description",
    "willsoft_privacy_consent_event": "id, action, source, note, ip_address",
    "willsoft_privacy_request_verification": "id, email, request_id",
    "willsoft_privacy_email_confirmation": "id, done",
    "willsoft_privacy_audit_log": "id",
    "mail_blacklist": "id, email, active",
    "ir_attachment": "id, name, res_model, res_id",
    "mail_message": "id",
}


@tagged("post_install", "-at_install")
class TestSecurityMatrix(HttpCase):
    """Actor x route or RPC call x expected refusal: every attempt is
    refused, and none changes anything in the database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.company_b = cls.env["res.company"].create({"name": "Other Oy"})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Matrix Kone Oy", "is_company": True, "email": "info@mk.example"}
        )
        cls.aino = new_test_user(
            cls.env,
            login="mx_aino",
            password="mx_aino_pw",
            groups="base.group_portal",
            name="Aino Matrix",
            email="aino.matrix@mk.example",
        )
        cls.aino.partner_id.write(
            {
                "parent_id": cls.customer.id,
                "privacy_source_note": "Met at the fair",
                "privacy_end_reason": "Moved away",
            }
        )
        cls.ville = new_test_user(
            cls.env,
            login="mx_ville",
            password="mx_ville_pw",
            groups="base.group_portal",
            name="Ville Matrix",
            email="ville.matrix@mk.example",
        )
        cls.employee = new_test_user(
            cls.env,
            login="mx_employee",
            password="mx_employee_pw",
            groups="base.group_user",
        )
        cls.privacy_user = new_test_user(
            cls.env,
            login="mx_user",
            password="mx_user_pw",
            groups="base.group_user,base.group_partner_manager,"
            "willsoft_privacy.group_privacy_user",
        )
        cls.officer = new_test_user(
            cls.env,
            login="mx_officer",
            password="mx_officer_pw",
            groups="base.group_user,base.group_partner_manager,"
            "willsoft_privacy.group_privacy_officer",
        )
        cls.officer_b = new_test_user(
            cls.env,
            login="mx_officer_b",
            groups="base.group_user,base.group_partner_manager,"
            "willsoft_privacy.group_privacy_officer",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.victim = cls.env["res.partner"].create({"name": "Vera", "email": VICTIM})
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        Consent = cls.env["willsoft.privacy.consent"]
        Consent._record_event(cls.victim, cls.marketing, "email", "withdrawn", "import")
        cls.event = Consent._record_event(
            cls.aino.partner_id, cls.marketing, "email", "given", "import"
        )
        cls.purpose_b = cls.env["willsoft.privacy.processing"].create(
            {
                "name": "Other Oy newsletter",
                "legal_basis": "consent",
                "retention_rule": "consent",
                "consent_text": "Send me Other Oy's news.",
                "company_id": cls.company_b.id,
            }
        )
        cls.purpose_a = cls.env["willsoft.privacy.processing"].create(
            {
                "name": "Main company events",
                "legal_basis": "consent",
                "retention_rule": "consent",
                "consent_text": "Invite me.",
                "company_id": cls.company.id,
            }
        )
        cls.notice_draft = cls.env["willsoft.privacy.notice"].browse(
            cls.env.ref("willsoft_privacy.notice_2018").action_new_version()["res_id"]
        )
        Request = cls.env["willsoft.privacy.request"]
        cls.aino_request = Request.create(
            {"partner_id": cls.aino.partner_id.id, "kind": "access"}
        )
        cls.ville_request = Request.create(
            {"partner_id": cls.ville.partner_id.id, "kind": "access"}
        )
        for request in cls.aino_request | cls.ville_request:
            request.action_start()
            request.action_prepare_export()
        cls.exports = (
            cls.aino_request.export_attachment_id
            | cls.aino_request.export_csv_attachment_id
            | cls.aino_request.export_pdf_attachment_id
        )
        cls.verification = cls.env["willsoft.privacy.request.verification"]._start(
            {"name": "Visitor", "email": VICTIM, "kind": "access"}, "10.0.0.1"
        )
        cls.log = cls.env["willsoft.privacy.audit.log"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )

    # Helpers

    def snapshot(self):
        self.env.flush_all()
        state = {}
        for table, columns in SNAPSHOT.items():
            self.env.cr.execute(
                f"SELECT md5(string_agg(row({columns})::text, ',' ORDER BY id)) "  # noqa: S608
                f"FROM {table}"
            )
            state[table] = self.env.cr.fetchone()[0]
        return state

    def refused(self, label, call, exception=AccessError):
        """``call`` raises ``exception`` and changes nothing."""
        before = self.snapshot()
        with self.subTest(label), self.assertRaises(exception):
            call()
        self.env.invalidate_all()
        self.assertEqual(self.snapshot(), before, f"{label} changed data")
        self.attempts += 1

    def refused_http(self, label, login, method, url, data=None, csrf=True):
        """The request answers 4xx (or sends to the login page or /my) and
        changes nothing."""
        self.authenticate(login, f"{login}_pw" if login else None)
        if method == "POST":
            data = dict(data or {})
            if csrf:
                page = self.url_open("/my/privacy" if login else "/privacy/request")
                match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
                data["csrf_token"] = match.group(1) if match else ""
        before = self.snapshot()
        with mute_logger("odoo.http", "werkzeug"):
            response = self.url_open(
                url, data=data if method == "POST" else None, allow_redirects=False
            )
        with self.subTest(label):
            location = response.headers.get("Location", "")
            self.assertTrue(
                400 <= response.status_code < 500
                or (
                    response.status_code in (302, 303)
                    and (
                        "/web/login" in location
                        or location.endswith(("/my", "/privacy/request"))
                    )
                )
                or 'class="alert alert-danger"' in response.text,
                f"{label}: {response.status_code} {location}",
            )
        self.assertEqual(self.snapshot(), before, f"{label} changed data")
        self.attempts += 1
        return response

    # The matrix

    def test_matrix(self):
        self.attempts = 0
        self._rpc_exports()
        self._rpc_internal_fields()
        self._rpc_ledger()
        self._rpc_other_company()
        self._rpc_identity()
        self._http_exports()
        self._http_links()
        self._http_portal()
        self.assertGreaterEqual(self.attempts, 40)

    def _rpc_exports(self):
        for user in (self.privacy_user, self.employee, self.aino):
            for attachment in self.exports:
                self.refused(
                    f"{user.login} reads export {attachment.name}",
                    lambda u=user, a=attachment: a.with_user(u).read(["raw", "name"]),
                )
        # Listed nowhere either: not in the request's attachments.
        found = (
            self.env["ir.attachment"]
            .with_user(self.privacy_user)
            .search(
                [
                    ("res_model", "=", "willsoft.privacy.request"),
                    ("res_id", "=", self.aino_request.id),
                ]
            )
        )
        self.assertFalse(found & self.exports)
        # An officer opens them.
        self.assertTrue(self.exports.with_user(self.officer).read(["name"]))
        for user in (self.privacy_user, self.employee, self.aino):
            self.refused(
                f"{user.login} reads a public-form verification",
                lambda u=user: self.verification.with_user(u).read(["email"]),
            )

    def _rpc_internal_fields(self):
        partner = self.aino.partner_id
        for fname in (
            "privacy_hold_reason",
            "privacy_hold_until",
            "privacy_end_reason",
            "privacy_source_note",
            "privacy_email_proven",
        ):
            self.refused(
                f"portal reads own {fname}",
                lambda f=fname: partner.with_user(self.aino).read([f]),
            )
        self.refused(
            "portal sets a legal hold on itself",
            lambda: partner.with_user(self.aino).write({"privacy_hold_reason": "x"}),
        )
        self.refused(
            "privacy user sets a legal hold",
            lambda: self.customer.with_user(self.privacy_user).write(
                {"privacy_hold_reason": "Dispute"}
            ),
        )

    def _rpc_ledger(self):
        Event = self.env["willsoft.privacy.consent.event"]
        forged = {
            "partner_id": self.victim.id,
            "processing_id": self.marketing.id,
            "channel": "email",
            "action": "given",
            "source": "email_link",
            "ip_address": "192.0.2.1",
            "text_shown": "I agree",
        }
        for user in (self.officer, self.privacy_user, self.aino):
            self.refused(
                f"{user.login} creates a ledger line",
                lambda u=user: Event.with_user(u).create(forged),
            )
        self.refused(
            "officer back-dates a ledger line",
            lambda: self.event.with_user(self.officer).write(
                {"create_date": "2020-01-01 00:00:00"}
            ),
            UserError,
        )
        self.refused(
            "officer deletes a ledger line",
            lambda: self.event.with_user(self.officer).unlink(),
            UserError,
        )
        wizard = (
            self.env["willsoft.privacy.consent.wizard"]
            .with_user(self.privacy_user)
            .create(
                {
                    "partner_id": self.victim.id,
                    "processing_id": self.marketing.id,
                    "channel": "email",
                    "action": "given",
                    "source": "import",
                    "note": "A list from a trade fair",
                }
            )
        )
        self.refused("privacy user records an import", wizard.action_record)

    def _rpc_other_company(self):
        officer_b = self.officer_b
        for label, record in (
            ("request", self.aino_request),
            ("audit log", self.log),
            ("draft notice", self.notice_draft),
            ("purpose", self.purpose_a),
            ("ledger line", self.event),
            ("verification", self.verification),
        ):
            self.refused(
                f"officer of another company reads a {label}",
                lambda r=record: r.with_user(officer_b).read(["display_name"]),
            )

    def _rpc_identity(self):
        partner = self.aino.partner_id
        for user in (self.employee, self.privacy_user):
            self.refused(
                f"{user.login} verifies an email",
                lambda u=user: partner.with_user(u).action_privacy_email_verify(),
            )
        self.refused(
            "privacy user writes a proven address",
            lambda: partner.with_user(self.privacy_user).write(
                {"privacy_email_proven": VICTIM}
            ),
        )
        self.refused(
            "portal reads another person's request",
            lambda: self.ville_request.with_user(self.aino).read(["name"]),
        )
        self.refused(
            "portal changes its own request",
            lambda: self.aino_request.with_user(self.aino).write({"kind": "erasure"}),
        )

    def _http_exports(self):
        attachment = self.aino_request.export_attachment_id
        for login in (None, "mx_user", "mx_aino"):
            self.refused_http(
                f"{login or 'public'} downloads an export from /web/content",
                login,
                "GET",
                f"/web/content/{attachment.id}?download=true",
            )
        token = self.aino_request._export_token("json")
        self.refused_http(
            "portal opens another person's export with own token",
            "mx_aino",
            "GET",
            f"/my/privacy/export/{self.ville_request.id}/json/{token}",
        )
        self.refused_http(
            "public opens an export with a tampered token",
            None,
            "GET",
            f"/my/privacy/export/{self.aino_request.id}/json/{tampered(token)}",
        )
        self.refused_http(
            "public opens an export with a non-ASCII token",
            None,
            "GET",
            f"/my/privacy/export/{self.aino_request.id}/json/{'é' * 64}",
        )

    def _http_links(self):
        Consent = self.env["willsoft.privacy.consent"]
        params = Consent._link_params("withdraw", self.aino.partner_id, self.marketing)
        forged = {**params, "partner_id": self.victim.id}
        self.refused_http(
            "public withdraws another person's consent with a forged link",
            None,
            "POST",
            "/privacy/consent/withdraw?" + urlencode(forged),
            {},
        )
        self.refused_http(
            "public confirms with a non-ASCII token",
            None,
            "POST",
            "/privacy/consent/confirm?"
            + urlencode({**params, "token": "ü" * 64, "expiry": 9999999999}),
            {},
        )
        self.refused_http(
            "public signs up to another company's purpose",
            None,
            "POST",
            f"/privacy/consent/subscribe/{self.purpose_b.id}",
            {"name": "X", "email": "x@x.example"},
        )
        self.refused_http(
            "public posts a code for nothing pending",
            None,
            "POST",
            "/privacy/request/confirm",
            {"code": "000000"},
        )

    def _http_portal(self):
        self.refused_http(
            "portal opens another person's request page",
            "mx_aino",
            "GET",
            f"/my/privacy/request/{self.ville_request.id}",
        )
        self.refused_http(
            "portal posts a consent without CSRF",
            "mx_aino",
            "POST",
            "/my/privacy/consent",
            {
                "purpose_id": self.marketing.id,
                "channel": "email",
                "action": "withdrawn",
            },
            csrf=False,
        )
        self.refused_http(
            "public posts a consent",
            None,
            "POST",
            "/my/privacy/consent",
            {"purpose_id": self.marketing.id, "channel": "email", "action": "given"},
        )
        self.refused_http("public opens My privacy", None, "GET", "/my/privacy")
        self.refused_http(
            "employee files a request on My privacy",
            "mx_employee",
            "POST",
            "/my/privacy/request/new",
            {"kind": "erasure"},
        )
        self.refused_http(
            "portal confirms an email with a wrong code",
            "mx_aino",
            "POST",
            "/my/privacy/email/confirm",
            {"code": "123456"},
        )
        # The email swap: Aino types Vera's address, then lifts Vera's
        # objection by giving consent by email.
        self.aino.partner_id.with_user(self.aino).sudo().email = VICTIM
        self.refused_http(
            "portal gives email consent on a swapped address",
            "mx_aino",
            "POST",
            "/my/privacy/consent",
            {"purpose_id": self.marketing.id, "channel": "email", "action": "given"},
        )
        self.assertTrue(
            self.env["mail.blacklist"].search([("email", "=", VICTIM)]),
            "Vera's objection stays",
        )
        self.refused_http(
            "portal asks for a code on a confirmed address",
            "mx_ville",
            "POST",
            "/my/privacy/email/send",
            {},
        )
        self.refused_http(
            "portal sends a non-ASCII code",
            "mx_aino",
            "POST",
            "/my/privacy/email/confirm",
            {"code": quote("١٢٣٤٥٦")},
        )
