# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-05-04")
class TestRectificationKeepsInvoices(PrivacyCommon):
    """A correction of a buyer's name or address never changes what their
    retained invoices show: each gets its document stored first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Vanha Nimi Oy",
                "is_company": True,
                "street": "Vanhatie 1",
                "city": "Lapua",
                "email": "buyer@example.com",
            }
        )
        cls.invoice = cls.post_invoice(cls.buyer, "2026-03-10")
        cls.refund = cls.post_invoice(cls.buyer, "2026-03-12", "out_refund")

    def rectify(self, **proposed):
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": self.buyer.id, "kind": "rectification", **proposed})
        )
        request.action_start()
        request.action_apply_rectification()
        return request

    def render(self, move):
        """The invoice's document as core makes it now (HTML while testing,
        PDF in use), split per invoice as account.move.send stores it."""
        Report = self.env["ir.actions.report"]
        content, kind = Report._pre_render_qweb_pdf(
            "account.account_invoices", move.ids
        )
        return Report._get_splitted_report("account.account_invoices", content, kind)[
            move.id
        ]

    def test_invoices_print_as_before_after_the_correction(self):
        self.assertFalse(self.invoice.invoice_pdf_report_id)
        before = self.render(self.invoice)
        self.assertIn(b"Vanhatie 1", before)
        request = self.rectify(rect_name="Uusi Nimi Oy", rect_street="Uusitie 2")
        self.assertEqual(self.buyer.name, "Uusi Nimi Oy")
        for move in self.invoice | self.refund:
            self.assertEqual(move.invoice_pdf_report_id.res_id, move.id, move.name)
        stored = self.invoice.invoice_pdf_report_id.raw
        # Byte for byte what the invoice showed before the correction, and
        # what core prints and sends from now on.
        self.assertEqual(stored, before)
        self.assertEqual(
            self.invoice._get_invoice_legal_documents("pdf")["content"], stored
        )
        self.assertNotIn(b"Uusitie 2", stored)
        # A new document would show the corrected buyer.
        self.assertIn(b"Uusitie 2", self.render(self.invoice))
        self.assertTrue(
            any(
                self.invoice.name in body for body in request.message_ids.mapped("body")
            )
        )

    def test_a_document_already_stored_is_left_as_it_was(self):
        self.rectify(rect_street="Toinen 3")
        stored = self.invoice.invoice_pdf_report_id
        raw = stored.raw
        self.rectify(rect_street="Kolmas 4")
        self.assertEqual(self.invoice.invoice_pdf_report_id, stored)
        self.assertEqual(stored.raw, raw)

    def test_a_correction_of_the_email_stores_nothing(self):
        self.rectify(rect_email="new@example.com")
        self.assertFalse(self.invoice.invoice_pdf_report_id)
