# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import io
import json

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import PrivacyCommon, assert_every_key_labelled, render_export

BASE_KINDS = (
    "activities",
    "users",
    "messages",
    "tracking",
    "attachments",
    "followers",
    "banks",
    "invoices",
    "payments",
    "consents",
    "requests",
    "partner",
)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestRequestArt15(PrivacyCommon, MockEmail):
    """The answer to a copy request tells what Art. 15(1) requires, lists the
    person's invoices and payments, and reads as words in every language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fi_FI", "sv_SE"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["willsoft_privacy"], ["fi_FI", "sv_SE"], overwrite=True
        )
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
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Aino Ahonen",
                "email": "aino@example.com",
                "lang": "en_US",
                "privacy_category": "customer",
            }
        )
        cls.invoice = cls.post_invoice(cls.buyer, "2026-01-15")
        cls.refund = cls.post_invoice(cls.buyer, "2026-01-20", "out_refund")
        cls.payment = cls.env["account.payment"].create(
            {
                "partner_id": cls.buyer.id,
                "payment_type": "inbound",
                "partner_type": "customer",
                "amount": 42.0,
                "date": "2026-02-01",
            }
        )
        cls.payment.action_post()

    def new_request(self, kind="access"):
        return (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": self.buyer.id, "kind": kind})
        )

    def test_export_carries_the_register_of_processing(self):
        request = self.new_request()
        request.action_start()
        request.action_prepare_export()
        document = json.loads(request.export_attachment_id.raw)
        information = {part["key"]: part for part in document["information"]}
        register = self.env["willsoft.privacy.processing"].search(
            [("company_id", "in", [False, self.company.id])]
        )
        purposes = information["purposes"]["items"]
        self.assertEqual([p["purpose"] for p in purposes], register.mapped("name"))
        accounting = next(p for p in purposes if p["purpose"] == "Accounting")
        self.assertEqual(accounting["legal_basis"], "Legal obligation")
        self.assertIn("auditor", accounting["recipients"])
        self.assertTrue(all(p["retention_period"] for p in purposes))
        self.assertTrue(all(p["sources"] for p in purposes))
        rights = " ".join(r["right"] for r in information["rights"]["items"])
        self.assertIn("Tietosuojavaltuutettu", rights)
        self.assertIn("erase", rights)
        # The CSV carries it too.
        rows = list(
            csv.reader(
                io.StringIO(request.export_csv_attachment_id.raw.decode("utf-8-sig"))
            )
        )
        self.assertIn(["information.purposes", "1", "purpose", register[0].name], rows)

    def test_invoices_credit_notes_and_payments_are_listed(self):
        export = self.env["willsoft.privacy.data.map"]._export(self.buyer)
        numbers = [row["number"] for row in export["invoices"]["records"]]
        self.assertEqual(numbers, [self.invoice.name, self.refund.name])
        self.assertEqual(
            [row["type"] for row in export["invoices"]["records"]],
            ["out_invoice", "out_refund"],
        )
        payments = export["payments"]["records"]
        self.assertEqual(
            [(p["number"], p["amount"]) for p in payments], [(self.payment.name, 42.0)]
        )
        # Vouchers: kept, and the export says until when.
        self.assertIn("2032-12-31", export["invoices"]["withheld"][0]["reason"])

    def test_completion_letter_of_a_copy_carries_the_information(self):
        request = self.new_request()
        request.action_start()
        request.action_prepare_export()
        request.outcome = "Your copy is ready."
        with self.mock_mail_gateway():
            request.action_done()
        mail = self.assertMailMailWEmails(["aino@example.com"], "outgoing")
        self.assertIn("Why we process your data, and for how long", mail.body_html)
        self.assertIn("Legal obligation", mail.body_html)
        self.assertIn("Tietosuojavaltuutettu", mail.body_html)
        # In the person's language: the register's words in Finnish.
        self.buyer.lang = "fi_FI"
        basis = dict(
            self.env["willsoft.privacy.processing"]
            .with_context(lang="fi_FI")
            ._fields["legal_basis"]
            ._description_selection(self.env(context={"lang": "fi_FI"}))
        )["legal_obligation"]
        request.invalidate_recordset(["access_information", "lang"])
        self.assertIn(basis, str(request.access_information))

    def test_pdf_with_every_kind_of_data_reads_as_words(self):
        buyer = self.buyer
        buyer.email = "aino.ahonen@example.com"  # a tracked change
        self.env.flush_all()
        self.env.cr.precommit.run()
        buyer.message_post(body="Please send the offer", message_type="comment")
        buyer.activity_schedule("mail.mail_activity_data_todo", summary="Call Aino")
        self.env["ir.attachment"].create(
            {
                "name": "contract.pdf",
                "res_model": "res.partner",
                "res_id": buyer.id,
                "raw": b"%PDF contract",
            }
        )
        self.invoice.message_subscribe(partner_ids=buyer.ids)
        self.env["res.partner.bank"].create(
            {"acc_number": "FI2112345600000785", "partner_id": buyer.id}
        )
        self.env["willsoft.privacy.consent"]._record_event(
            buyer,
            self.env.ref("willsoft_privacy.processing_marketing"),
            "email",
            "given",
            "portal",
            ip_address="203.0.113.9",
            user_agent="Firefox",
            lang="en_US",
        )
        new_test_user(
            self.env,
            login="aino.ahonen.art15",
            groups="base.group_portal",
            partner_id=buyer.id,
        )
        request = self.new_request()
        request.action_start()
        self.env.flush_all()
        self.env.cr.precommit.run()
        export = self.env["willsoft.privacy.data.map"]._export(buyer)
        assert_every_key_labelled(self, export, BASE_KINDS)
        for lang, words in (
            ("en_US", "Invoices and credit notes"),
            ("fi_FI", None),
            ("sv_SE", None),
        ):
            buyer.lang = lang
            request.invalidate_recordset(["lang"])
            text = render_export(self, request)
            self.assertIn(self.invoice.name, text)
            self.assertIn("FI2112345600000785", text)
            self.assertIn("203.0.113.9", text)
            if words:
                self.assertIn(words, text)
            labels, _values = (
                self.env["willsoft.privacy.data.map"]
                .with_context(lang=lang)
                ._key_labels()
            )
            for kind in BASE_KINDS:
                for key in export[kind]["records"][0]:
                    if key != "id":
                        self.assertNotIn(f">{key}<", text, f"{kind}.{key}")
