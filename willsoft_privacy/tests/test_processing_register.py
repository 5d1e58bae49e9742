# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import escape

from odoo.tests import tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestProcessingRegisterSeeded(PrivacyCommon):
    """The register of processing describes every processing the addon does,
    with its true retention, and the notice and the printed register say the
    same."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Processing = cls.env["willsoft.privacy.processing"]

    def purpose(self, xmlid):
        return self.env.ref(f"willsoft_privacy.{xmlid}")

    def test_every_processing_is_in_the_register_with_its_rule(self):
        rules = {
            "processing_website": "relationship",
            "processing_prospects": "prospect",
            "processing_other_contacts": "other",
            "processing_accounting": "voucher",
            "processing_books": "books",
            "processing_bank": "voucher",
            "processing_requests": "request",
            "processing_suppression": "suppression",
            "processing_audit_log": "audit",
        }
        for xmlid, rule in rules.items():
            purpose = self.purpose(xmlid)
            self.assertEqual(purpose.retention_rule, rule, xmlid)
            self.assertTrue(purpose.retention_period, xmlid)
            self.assertTrue(purpose.description and purpose.sources, xmlid)
        # Every rule the register knows describes a real period.
        for rule, _label in self.Processing._fields["retention_rule"].selection:
            text = self.Processing.new(
                {"retention_rule": rule}
            )._retention_period_text()
            self.assertTrue(text, rule)

    def test_periods_as_the_law_counts_them(self):
        self.company.privacy_prospect_months = 18
        accounting = self.purpose("processing_accounting")
        self.assertIn(
            "6 years from the end of the calendar year in which the financial "
            "year ended",
            accounting.retention_period,
        )
        self.assertIn("10 years", self.purpose("processing_books").retention_period)
        prospects = self.purpose("processing_prospects")
        prospects.invalidate_recordset()
        self.assertIn("18 months without contact", prospects.retention_period)
        self.assertIn("6 years", self.purpose("processing_bank").retention_period)

    def test_notice_and_printed_register_stay_in_step(self):
        register = self.Processing.search(
            [("company_id", "in", [False, self.company.id])]
        )
        notice = self.env["willsoft.privacy.notice"].create(
            {"company_id": self.company.id}
        )
        notice._generate_sections()
        text = "\n".join(notice.section_ids.mapped("body"))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "willsoft_privacy.report_processing_register", register.ids
            )[0]
            .decode()
        )
        for purpose in register:
            self.assertIn(purpose.name, text)
            self.assertIn(purpose.retention_period, text)
            self.assertIn(escape(purpose.name), html)
            self.assertIn(escape(purpose.retention_period), html)
