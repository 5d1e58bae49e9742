# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PrivacyCommon, load_languages


@tagged("post_install", "-at_install")
class TestProcessing(PrivacyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Processing = cls.env["willsoft.privacy.processing"]
        cls.invoicing = cls.env.ref("willsoft_privacy.processing_invoicing")
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.accounting = cls.env.ref("willsoft_privacy.processing_accounting")

    def test_register_seeded_from_the_notice(self):
        register = self.Processing.search([])
        bases = {
            p.name: p.legal_basis
            for p in register
            if p.get_external_id().get(p.id, "").startswith("willsoft_privacy.")
        }
        self.assertEqual(
            bases,
            {
                "Invoicing": "contract",
                "Customer service": "contract",
                "Critical usage bulletins": "contract",
                "Marketing communication": "consent",
                "Accounting": "legal_obligation",
                "Potential customers": "legitimate_interest",
                "Other contacts": "legitimate_interest",
                "Use of the website": "legitimate_interest",
                "Books and financial statements": "legal_obligation",
                "Bank data": "legal_obligation",
                "Data-subject requests": "legal_obligation",
                "Suppression list": "legal_obligation",
                "Audit log": "legal_obligation",
            },
        )
        self.assertFalse(self.invoicing.transfers, "The notice: no transfers")

    def test_retention_follows_the_company_settings(self):
        self.assertIn("3 months", self.invoicing.retention_period)
        self.assertIn("6 years", self.accounting.retention_period)
        self.company.privacy_grace_months = 4
        self.company.privacy_voucher_years = 10
        self.invoicing.invalidate_recordset()
        self.accounting.invalidate_recordset()
        self.assertIn("4 months", self.invoicing.retention_period)
        self.assertIn("10 years", self.accounting.retention_period)
        self.assertIn("withdrawn", self.marketing.retention_period)

    def test_consent_purpose_needs_the_text_shown(self):
        with self.assertRaisesRegex(ValidationError, "consent request text"):
            self.Processing.create(
                {
                    "name": "Newsletter",
                    "legal_basis": "consent",
                    "retention_rule": "consent",
                }
            )

    def test_only_officers_change_the_register(self):
        self.assertEqual(self.invoicing.with_user(self.privacy_user).name, "Invoicing")
        with self.assertRaises(AccessError):
            self.invoicing.with_user(self.privacy_user).name = "Changed"
        with self.assertRaises(AccessError):
            self.invoicing.with_user(self.plain_user).read(["name"])
        self.invoicing.with_user(self.officer).description = "Invoices."
        self.assertEqual(self.invoicing.description, "Invoices.")

    def test_register_report_in_finnish_and_english(self):
        load_languages(self.env, "fi_FI")
        register = self.Processing.search([])
        report = self.env["ir.actions.report"]
        name = "willsoft_privacy.report_processing_register"
        html_en = report._render_qweb_html(name, register.ids)[0].decode()
        self.assertIn("Record of processing activities", html_en)
        self.assertIn("Marketing communication", html_en)
        self.assertIn("Destroyed at the latest 3 months", html_en)
        self.assertIn("Willsoft Oy", html_en)
        report_fi = report.with_context(lang="fi_FI")
        html_fi = report_fi._render_qweb_html(name, register.ids)[0].decode()
        self.assertIn("Seloste käsittelytoimista", html_fi)
        self.assertIn("Markkinointiviestintä", html_fi)
        self.assertIn("Käsittelyn oikeusperuste", html_fi)
        self.assertIn("tuhotaan viimeistään 3 kuukauden", html_fi)


@tagged("post_install", "-at_install")
class TestProcessingReportPdf(HttpCase):
    """wkhtmltopdf fetches the report's styles over HTTP: an HttpCase serves
    them from the test transaction."""

    def test_register_pdf_in_finnish(self):
        load_languages(self.env, "fi_FI")
        register = self.env["willsoft.privacy.processing"].search([])
        name = "willsoft_privacy.report_processing_register"
        report = self.env["ir.actions.report"].with_context(
            lang="fi_FI", force_report_rendering=True
        )
        # wkhtmltopdf reports on stderr that this Qt build ignores the
        # header switches; that is no problem of the register.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf = report._render_qweb_pdf(name, register.ids)[0]
        self.assertTrue(pdf.startswith(b"%PDF"))
        # Look at the first page as an image: it must show a register, not a
        # blank page.
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "register.pdf")
            path.write_bytes(pdf)
            # In installed fonts, the text is text (a web font came out as
            # outlines, with nothing to extract).
            text = subprocess.run(
                ["pdftotext", str(path), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            self.assertIn("Seloste käsittelytoimista", text)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "72",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    str(path),
                    str(Path(tmp, "page")),
                ],
                check=True,
            )
            page = Image.open(next(Path(tmp).glob("page*.png"))).convert("L")
            width, height = page.size
            dark = sum(1 for pixel in page.getdata() if pixel < 128)
        self.assertGreater(height, width, "an A4 portrait page")
        self.assertGreater(dark / (width * height), 0.01, "the page shows text")
