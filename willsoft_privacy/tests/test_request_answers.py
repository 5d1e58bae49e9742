# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestRequestLetters(PrivacyCommon, MockEmail):
    """The answer reaches the person even when it is an erasure: the address
    proven at intake is kept for it, then cleared."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fi_FI", "sv_SE"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["willsoft_privacy"], ["fi_FI", "sv_SE"], overwrite=True
        )
        cls.customer, cls.person = cls.make_customer("Kauhavan Kala Oy")
        cls.person.write({"email": "matti@kala.example.com", "lang": "fi_FI"})
        cls.customer.write(
            {"email": "info@kala.example.com", "lang": "sv_SE", "street": "Tie 1"}
        )

    def erase(self, partner):
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": partner.id, "kind": "erasure"})
        )
        request.action_start()
        request.action_run_erasure()
        request.recipient_ids.state = "informed"
        with self.mock_mail_gateway():
            request.action_done()
        return request

    def test_erasure_letter_reaches_the_erased_person_in_their_language(self):
        self.person.message_post(body="Call me on Friday", message_type="comment")
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": self.person.id, "kind": "erasure"})
        )
        self.assertEqual(request.answer_email, "matti@kala.example.com")
        request.action_start()
        request.action_run_erasure()
        # The person's own record no longer has the address...
        self.assertFalse(self.person.email)
        self.assertEqual(request.reply_email, "matti@kala.example.com")
        self.assertEqual(request.lang, "fi_FI")
        request.recipient_ids.state = "informed"
        with self.mock_mail_gateway():
            request.action_done()
        # ... but the letter goes to it, in Finnish, and says what was erased
        # (in the person's language) and how to complain.
        labels = {
            h["kind"]: h["label"]
            for h in self.env["willsoft.privacy.data.map"]
            .with_context(lang="fi_FI")
            ._handlers()
        }
        mail = self.assertMailMailWEmails(
            ["matti@kala.example.com"],
            "outgoing",
            fields_values={"subject": f"Pyyntönne {request.name} on käsitelty"},
        )
        self.assertIn(labels["messages"], mail.body_html)
        self.assertIn(labels["partner"], mail.body_html)
        self.assertNotIn("by post", " ".join(request.message_ids.mapped("body")))
        # Sent: the address is no longer kept on the request.
        self.assertFalse(request.answer_email)
        self.assertFalse(request.answer_name)

    @freeze_time("2026-06-01")
    def test_company_erasure_letter_says_what_is_kept_and_until_when(self):
        self.post_invoice(self.customer, "2026-02-10")
        request = self.erase(self.customer)
        mail = self.assertMailMailWEmails(
            ["info@kala.example.com"],
            "outgoing",
            fields_values={"subject": f"Er begäran {request.name} är behandlad"},
        )
        # The buyer data of the invoice stays until the voucher period ends:
        # six years from the end of 2026.
        self.assertIn("2032-12-31", mail.body_html)
        self.assertIn("2032-12-31", request.outcome)
        self.assertEqual(self.customer.privacy_stage, "restricted")
        self.assertFalse(request.answer_email)

    def test_erasure_letter_greets_by_name_and_tells_how_to_complain(self):
        self.person.lang = "en_US"
        name = self.person.name
        request = self.erase(self.person)
        self.assertNotEqual(self.person.name, name)
        mail = self.assertMailMailWEmails(
            ["matti@kala.example.com"],
            "outgoing",
            fields_values={"subject": f"Your request {request.name} is completed"},
        )
        self.assertIn(f"Hello {name},", mail.body_html)
        self.assertIn("Partner and contact persons (1)", mail.body_html)
        self.assertIn(
            "Data Protection Ombudsman (Tietosuojavaltuutettu)", mail.body_html
        )

    def test_refusal_clears_the_kept_address(self):
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create(
                {
                    "kind": "access",
                    "requester_name": "Stranger",
                    "requester_email": "stranger@example.net",
                }
            )
        )
        self.assertEqual(request.answer_email, "stranger@example.net")
        request.refusal_reason = "We could not confirm who you are."
        with self.mock_mail_gateway():
            request.action_refuse()
        self.assertMailMailWEmails(["stranger@example.net"], "outgoing")
        self.assertFalse(request.answer_email)

    def test_an_identified_sender_gets_the_answer_at_the_persons_address(self):
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"kind": "access", "requester_email": "x@example.net"})
        )
        request.answer_email = False
        request.partner_id = self.person
        self.assertEqual(request.answer_email, "matti@kala.example.com")
        self.assertEqual(request.answer_lang, "fi_FI")


@tagged("post_install", "-at_install")
class TestRequestScope(PrivacyCommon):
    """A request is about one person: a company's request covers the
    company's own data, not its contact persons'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer, cls.person = cls.make_customer("Seinäjoen Saha Oy")
        cls.customer.email = "saha@example.com"
        cls.person.email = "person@saha.example.com"
        cls.person.message_post(body="Colleague's own message", message_type="comment")
        cls.customer.message_post(body="About the company", message_type="comment")

    def new_request(self, partner, kind="access"):
        return (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": partner.id, "kind": kind})
        )

    def test_company_export_leaves_out_its_contacts(self):
        request = self.new_request(self.customer)
        request.action_start()
        request.action_prepare_export()
        document = json.loads(request.export_attachment_id.raw)
        text = json.dumps(document, ensure_ascii=False)
        self.assertIn("About the company", text)
        self.assertIn("saha@example.com", text)
        self.assertNotIn("person@saha.example.com", text)
        self.assertNotIn("Colleague's own message", text)
        self.assertEqual(
            [row["id"] for row in document["categories"]["partner"]["records"]],
            [self.customer.id],
        )

    def test_officer_adds_a_contact_explicitly_and_it_is_logged(self):
        request = self.new_request(self.customer)
        Log = self.env["willsoft.privacy.audit.log"].sudo()
        self.assertFalse(Log.search([("event", "=", "scope")]))
        request.contact_ids = self.person
        entry = Log.search([("event", "=", "scope")])
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.partner_ref, self.customer.id)
        self.assertIn(str(self.person.id), entry.message)
        self.assertNotIn(self.person.name, entry.message)  # the log names nobody
        self.assertIn(self.person.name, request.message_ids[0].body)
        request.action_start()
        request.action_prepare_export()
        text = request.export_attachment_id.raw.decode()
        self.assertIn("person@saha.example.com", text)
        self.assertIn("Colleague's own message", text)

    def test_erase_now_on_a_company_erases_only_the_company(self):
        request = self.new_request(self.customer, kind="erasure")
        request.action_start()
        preview = str(request.erasure_preview)
        request.action_run_erasure()
        self.assertEqual(self.customer.privacy_stage, "anonymised")
        self.assertFalse(self.customer.email)
        # The contact person asks for themself.
        self.assertEqual(self.person.privacy_stage, "none")
        self.assertEqual(self.person.email, "person@saha.example.com")
        self.assertIn(
            "Colleague's own message",
            " ".join(self.person.message_ids.mapped("body")),
        )
        self.assertIn("Partner and contact persons", preview)

    def test_erase_now_with_an_added_contact_erases_both(self):
        request = self.new_request(self.customer, kind="erasure")
        request.contact_ids = self.person
        request.action_start()
        request.action_run_erasure()
        self.assertEqual(self.customer.privacy_stage, "anonymised")
        self.assertEqual(self.person.privacy_stage, "anonymised")
        self.assertFalse(self.person.email)
