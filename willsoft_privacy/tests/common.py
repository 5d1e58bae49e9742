# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

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


def tampered(token):
    """The token with its last character changed: never the token itself."""
    return token[:-1] + ("1" if token.endswith("0") else "0")


class PrivacyCommon(AccountTestInvoicingCommon):
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
        cls.plain_user = new_test_user(
            cls.env,
            login="privacy_plain",
            groups="base.group_user,base.group_partner_manager",
        )
        cls.privacy_user = new_test_user(
            cls.env,
            login="privacy_user",
            groups="base.group_user,base.group_partner_manager,"
            "willsoft_privacy.group_privacy_user",
        )
        cls.officer = new_test_user(
            cls.env,
            login="privacy_officer",
            groups="base.group_user,base.group_partner_manager,"
            "willsoft_privacy.group_privacy_officer",
        )

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
