# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every fixture the suites of willsoft_privacy and its bridges share: the
users of each role, the company with its policy, the retention and consent
set-ups, the portal's CSRF token, languages and the readable export's checks.
The bridges import them as ``odoo.addons.willsoft_privacy.tests.common``."""

import re
from contextlib import contextmanager
from datetime import date
from urllib.parse import parse_qsl, urlsplit

from odoo.tests import (
    common as odoo_tests_common,
    new_test_user,
)

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# Odoo skips a tour when Chromium has not opened its devtools port within
# 10 s, as happens on a loaded machine; a skipped tour fails our test command,
# so Chromium gets a minute to start.
odoo_tests_common.CHECK_BROWSER_ITERATIONS = max(
    odoo_tests_common.CHECK_BROWSER_ITERATIONS, 600
)

LANGS = ("en_US", "fi_FI", "sv_SE")
# The contact person of the retention set-up: an address, the one it had
# before, a phone.
EMAIL = "matti.meikalainen@lapuankone.fi"
OLD_EMAIL = "matti.vanha@lapuankone.fi"
# (no demo partner has this number: a namesake number is not a leftover)
PHONE = "+358 40 765 4321"


def tampered(token):
    """The token with its last character changed: never the token itself."""
    return token[:-1] + ("1" if token.endswith("0") else "0")


def load_languages(env, *codes):
    """Activate languages and load the terms of this addon (and of the
    frontend it shows) for them, as installing a language does."""
    for code in codes:
        env["res.lang"]._activate_lang(code)
    env["ir.module.module"]._load_module_terms(
        ["base", "web", "portal", "willsoft_privacy"], list(codes), overwrite=True
    )


class RoleUsers:
    """The users of each role, made once per class whichever set-ups it
    combines: a plain employee, a privacy user, a privacy officer (login and
    password are the same)."""

    @classmethod
    def setUpRoleUsers(cls):
        # Set on this class already (a class inheriting a test class sees
        # its parent's users, which that class's rollback has removed).
        if "officer" in cls.__dict__:
            return
        staff = "base.group_user,base.group_partner_manager"
        cls.plain_user = new_test_user(cls.env, login="privacy_plain", groups=staff)
        cls.privacy_user = new_test_user(
            cls.env,
            login="privacy_user",
            groups=f"{staff},willsoft_privacy.group_privacy_user",
        )
        cls.officer = new_test_user(
            cls.env,
            login="privacy_officer",
            groups=f"{staff},willsoft_privacy.group_privacy_officer",
        )


class PortalPages:
    """For HTTP cases: the CSRF token of a page the session sees."""

    def csrf(self, url="/my/privacy", default=None):
        page = self.url_open(url).text
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if match:
            return match.group(1)
        if default is None:
            self.fail(f"{url} shows no form with a CSRF token")
        return default


class PrivacyCommon(RoleUsers, AccountTestInvoicingCommon):
    """A company with a chart of accounts, the policy of the notice, and users
    of each kind: a plain employee, a privacy user, a privacy officer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "privacy_grace_months": 3,
                "privacy_voucher_years": 6,
                "privacy_prospect_months": 24,
                "fiscalyear_last_day": 31,
                "fiscalyear_last_month": "12",
            }
        )
        # The test company is a new one: it gets the notice's controller as
        # the main company does on install (letters and reports name it).
        cls.env["res.company"]._privacy_seed_controller(cls.company)
        cls.setUpRoleUsers()

    @classmethod
    def make_customer(cls, name="Lapuan Kone Oy", **vals):
        company = cls.env["res.partner"].create(
            {"name": name, "is_company": True, "privacy_category": "customer", **vals}
        )
        contact = cls.env["res.partner"].create(
            {"name": f"Contact of {name}", "parent_id": company.id, "lang": "en_US"}
        )
        return company, contact

    @classmethod
    def post_invoice(cls, partner, invoice_date, move_type="out_invoice"):
        return cls.init_invoice(
            move_type,
            partner=partner,
            invoice_date=invoice_date,
            amounts=[100.0],
            post=True,
        )

    @contextmanager
    def assertRaisesRegex(self, exception, regex):  # noqa: N802 (unittest's name)
        """Odoo's assertRaises rolls the failed change back; unittest's
        assertRaisesRegex would not, and a test could not then show that a
        refused change changed nothing."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)


class RetentionCommon(PrivacyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Mail as in production: tracked changes, creation notes, followers.
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=False,
                mail_create_nolog=False,
                mail_create_nosubscribe=False,
                mail_notrack=False,
            )
        )
        cls.engine = cls.env["willsoft.privacy.retention"]
        cls.data_map = cls.env["willsoft.privacy.data.map"]
        cls.log = cls.env["willsoft.privacy.audit.log"]
        # The log is append-only: look only at what the test writes (a demo
        # database holds a run of its own).
        # A demo database holds customers of its own, some of them due: the
        # runs of these tests take only the partners the tests make.
        cls.env["res.partner"].with_context(
            active_test=False, tracking_disable=True
        ).search([("privacy_hold_until", "=", False)]).write(
            {
                "privacy_hold_reason": "Not part of this test",
                "privacy_hold_until": "2099-12-31",
            }
        )
        cls.log_floor = cls.log.search([], order="id desc", limit=1).id or 0

    @classmethod
    def make_ended_customer(
        cls, name, end="2025-03-31", invoice_date="2024-01-15", company=None
    ):
        """A company whose relationship ended on ``end`` (due three months
        later), with a contact person who has a history."""
        customer, contact = cls.make_customer(name)
        if company:
            (customer | contact).company_id = company
        customer.write({"street": "Kauppakatu 1", "zip": "62100", "city": "Lapua"})
        customer.vat = "FI08569728"
        contact.write({"email": OLD_EMAIL, "phone": PHONE})
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        # Change history: tracking now holds the old email.
        contact.email = EMAIL
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        contact.message_post(body="Called about the renewal.", message_type="comment")
        contact.activity_schedule("mail.mail_activity_data_todo", summary="Call back")
        cls.env["ir.attachment"].create(
            {
                "name": "contract.pdf",
                "res_model": "res.partner",
                "res_id": contact.id,
                "raw": b"%PDF contract",
            }
        )
        invoice = invoice_date and cls.post_invoice(customer, invoice_date)
        customer._privacy_end_relationship(date.fromisoformat(end), "Contract ended")
        return customer, contact, invoice

    def retention_logs(self, event):
        return self.log.search([("event", "=", event), ("id", ">", self.log_floor)])

    def render_invoice(self, invoice):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "account.report_invoice", invoice.ids
        )[0]
        return html


class ConsentCommon(RoleUsers):
    """People and purposes for consent tests, in the main company (the one
    the seeded register and notice belong to)."""

    @classmethod
    def setUpConsent(cls):
        cls.Consent = cls.env["willsoft.privacy.consent"]
        cls.Event = cls.env["willsoft.privacy.consent.event"]
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.invoicing = cls.env.ref("willsoft_privacy.processing_invoicing")
        cls.notice = cls.env.ref("willsoft_privacy.notice_2018")
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Liisa Laine",
                "email": "liisa.laine@test.example",
                "phone": "+358 40 123 4567",
                "lang": "en_US",
                "privacy_category": "prospect",
            }
        )
        cls.setUpRoleUsers()

    @staticmethod
    def link_params(url):
        return dict(parse_qsl(urlsplit(url).query))

    def consent_mails(self, partner):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id"
        )

    def purpose_mail(self, purpose, subject, state="outgoing"):
        """A mail to the test person, sent or queued for ``purpose``."""
        return self.env["mail.mail"].create(
            {
                "subject": subject,
                "body_html": f"<p>{subject}</p>",
                "recipient_ids": [(4, self.person.id)],
                "willsoft_privacy_processing_id": purpose.id,
                "state": state,
            }
        )


def assert_every_key_labelled(case, export, kinds):
    """Each of ``kinds`` has records in ``export``, and every key of every
    record reads as words in English, Finnish and Swedish: the readable copy
    never shows a raw key."""
    data_map = case.env["willsoft.privacy.data.map"]
    for lang in LANGS:
        case.env["res.lang"]._activate_lang(lang)
    for kind in kinds:
        case.assertTrue(export[kind]["records"], f"no {kind} to check")
    for lang in LANGS:
        labels, _values = data_map.with_context(lang=lang)._key_labels()
        for kind in kinds:
            for record in export[kind]["records"]:
                for key, value in record.items():
                    case.assertIn(key, labels[kind], f"{kind}.{key} ({lang})")
                    case.assertNotEqual(labels[kind][key], key, f"{kind}.{key}")
                    for item in value if isinstance(value, list) else ():
                        for nested in item if isinstance(item, dict) else ():
                            case.assertIn(nested, labels[kind], f"{kind}.{nested}")
        # Every value reads as text in the language, nested rows too.
        readable = data_map.with_context(lang=lang)._readable(
            {kind: export[kind] for kind in kinds}
        )
        for section in readable:
            for record in section["records"]:
                for label, text in record:
                    case.assertIsInstance(text, str, f"{section['kind']}.{label}")


def render_export(case, request):
    """The readable copy of ``request``'s export, as text (HTML while
    testing)."""
    request._make_export()
    return request.export_pdf_attachment_id.raw.decode()
