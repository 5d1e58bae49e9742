# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RetentionCommon

IP = "192.0.2.10"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0"
PHONE_NOTE = "Called 3.2. at 10:15: no more text messages, please."
REDACT = {"willsoft_privacy_redact_proof": True}


@tagged("post_install", "-at_install")
class TestDataMapLedger(RetentionCommon):
    """Consents and privacy requests as kinds of the personal-data map: the
    export gives the proof, the erasure takes the proof and keeps the line,
    and requests stay as the record of how the person's rights were
    answered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Consent = cls.env["willsoft.privacy.consent"]
        cls.Event = cls.env["willsoft.privacy.consent.event"]
        cls.Request = cls.env["willsoft.privacy.request"]
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.notice = cls.env.ref("willsoft_privacy.notice_2018")
        cls.customer, cls.contact, cls.invoice = cls.make_ended_customer(
            "Kirjanpito Oy"
        )
        cls.colleague = cls.env["res.partner"].create(
            {
                "name": "Kaisa Kollega",
                "parent_id": cls.customer.id,
                "email": "kaisa@kirjanpito.fi",
                "lang": "en_US",
            }
        )
        with freeze_time("2025-01-10 09:30:00"):
            cls.given = cls.Consent._record_event(
                cls.contact,
                cls.marketing,
                "email",
                "given",
                "portal",
                ip_address=IP,
                user_agent=BROWSER,
                notice=cls.notice,
                lang="en_US",
            )
        with freeze_time("2025-02-03 10:15:00"):
            cls.withdrawn = cls.Consent._record_event(
                cls.contact,
                cls.marketing,
                "sms",
                "withdrawn",
                "phone",
                note=PHONE_NOTE,
                notice=cls.notice,
                lang="en_US",
            )
            cls.colleague_event = cls.Consent._record_event(
                cls.colleague,
                cls.marketing,
                "email",
                "given",
                "public_form",
                ip_address="198.51.100.7",
                user_agent=BROWSER,
                notice=cls.notice,
            )
        cls.access = cls.Request.with_user(cls.officer).create(
            {"partner_id": cls.contact.id, "kind": "access"}
        )
        cls.rectification = cls.Request.with_user(cls.officer).create(
            {"partner_id": cls.contact.id, "kind": "rectification"}
        )
        cls.contact_events = cls.given | cls.withdrawn

    def assert_line_kept_without_proof(self, event, action, channel, when):
        event.invalidate_recordset()
        self.assertTrue(event.exists())
        self.assertEqual(
            (event.ip_address, event.user_agent, event.note), (False, False, False)
        )
        self.assertEqual(
            (
                event.action,
                event.channel,
                event.processing_id,
                event.notice_id,
                str(event.event_time),
            ),
            (action, channel, self.marketing, self.notice, when),
        )
        self.assertIn("news and offers", event.text_shown)

    # Export

    def test_export_gives_the_consent_history_with_its_proof(self):
        export = self.data_map._export(self.contact)
        consents = export["consents"]
        self.assertEqual(consents["label"], "Consents and their proof")
        self.assertEqual(consents["withheld"], [])
        given, withdrawn = consents["records"]
        self.assertEqual(
            given,
            {
                "id": self.given.id,
                "date": "2025-01-10 09:30:00",
                "purpose": self.marketing.name,
                "channel": "email",
                "action": "given",
                "source": "portal",
                "notice": self.notice.display_name,
                "text_shown": self.given.text_shown,
                "lang": "en_US",
                "ip_address": IP,
                "user_agent": BROWSER,
                "note": "",
            },
        )
        self.assertIn("news and offers", given["text_shown"])
        self.assertIn("version 1", given["notice"])
        self.assertEqual(
            (withdrawn["action"], withdrawn["channel"], withdrawn["note"]),
            ("withdrawn", "sms", PHONE_NOTE),
        )
        # A contact person's export: not their colleague's consents.
        self.assertNotIn("198.51.100.7", json.dumps(export))

    def test_export_of_a_company_leaves_out_its_contacts_consents(self):
        # A request is about one person (GDPR Art. 15(4)): the company's
        # export holds the company's own data, each contact asks for theirs.
        export = self.data_map._export(self.customer)
        self.assertFalse(export["consents"]["records"])
        export = self.data_map._export(self.customer, self.contact | self.colleague)
        self.assertEqual(
            {row["id"] for row in export["consents"]["records"]},
            set((self.contact_events | self.colleague_event).ids),
        )

    def test_export_files_hold_consents_and_requests_once(self):
        self.access.with_user(self.officer).action_start()
        self.access._make_export()
        document = json.loads(self.access.export_attachment_id.raw)
        categories = document["categories"]
        kinds = [h["kind"] for h in self.data_map._handlers()]
        self.assertEqual(list(categories), kinds)
        requests = categories["requests"]
        self.assertEqual(requests["label"], "Privacy requests")
        self.assertEqual(
            [(r["id"], r["reference"], r["kind"]) for r in requests["records"]],
            [
                (self.access.id, self.access.name, "access"),
                (self.rectification.id, self.rectification.name, "rectification"),
            ],
        )
        self.assertEqual(
            set(requests["records"][0]),
            {"id", "reference", "kind", "state", "received", "due"},
        )
        self.assertEqual(requests["records"][0]["state"], "progress")
        self.assertEqual(
            [w["id"] for w in requests["withheld"]],
            [self.access.id, self.rectification.id],
        )
        self.assertIn("Art. 5(2)", requests["withheld"][0]["reason"])
        # Each reference once in the whole export: found in one place only.
        raw = self.access.export_attachment_id.raw.decode()
        self.assertEqual(raw.count(f'"reference": "{self.access.name}"'), 1)
        csv_data = self.access.export_csv_attachment_id.raw.decode("utf-8-sig")
        self.assertIn(f"consents,{self.given.id},ip_address,{IP}", csv_data)
        self.assertIn(f"consents,{self.given.id},user_agent,{BROWSER}", csv_data)
        self.assertIn(
            f"requests,{self.access.id},reference,{self.access.name}", csv_data
        )
        # The readable copy: the proof in words, the requests said to be kept.
        readable = self.access.export_pdf_attachment_id.raw.decode()
        for text in (
            "Consents and their proof",
            IP,
            BROWSER,
            PHONE_NOTE,
            # The notice's title (its apostrophe escaped in HTML), version.
            "Privacy notice of Willsoft Oy",
            "customer register, version 1",
            "Staff, on the phone",
            "Withdrawn",
            "IP address",
            "Privacy requests",
            "Correct my data",
            "What we keep, and why",
            "how your privacy requests were answered",
        ):
            self.assertIn(text, readable)

    # Erasure

    def test_erasure_of_a_contact_keeps_the_ledger_without_the_proof(self):
        self.engine._erase_now(self.contact)
        self.assertEqual(self.contact.privacy_stage, "anonymised")
        self.assert_line_kept_without_proof(
            self.given, "given", "email", "2025-01-10 09:30:00"
        )
        self.assert_line_kept_without_proof(
            self.withdrawn, "withdrawn", "sms", "2025-02-03 10:15:00"
        )
        self.assertEqual(self.colleague_event.ip_address, "198.51.100.7")
        # The history stays provable: the current consent per channel.
        states = {s.channel: s.state for s in self.contact.privacy_consent_state_ids}
        self.assertEqual(states, {"email": "given", "sms": "withdrawn"})
        # Requests stay, linked to the (anonymised) person.
        self.assertEqual(
            self.Request.search([("partner_id", "=", self.contact.id)]),
            self.access | self.rectification,
        )
        erasure = self.retention_logs("erasure")
        self.assertEqual(erasure.counts["consents"], 2)
        self.assertEqual(erasure.counts["requests"], 0)
        # Redacted lines are no leftovers.
        check = self.retention_logs("check")
        self.assertEqual(check.result, "ok", check.counts)
        # Erasing again finds no proof left to take.
        self.assertEqual(self.data_map._erase(self.contact)["consents"], 0)

    def test_erasure_request_keeps_the_requests_and_answers(self):
        request = self.Request.with_user(self.officer).create(
            {"partner_id": self.contact.id, "kind": "erasure"}
        )
        request.with_user(self.officer).action_start()
        preview = str(request.erasure_preview)
        self.assertIn("Consents and their proof</td><td class='text-end'>2", preview)
        self.assertIn(
            "Privacy requests</td><td class='text-end'>0</td>"
            "<td class='text-end'>3</td>",
            preview,
        )
        request.with_user(self.officer).action_run_erasure()
        request.recipient_ids.with_user(self.officer).state = "informed"
        request.with_user(self.officer).action_done()
        self.assertEqual(request.state, "done")
        self.assertFalse(self.given.ip_address)
        export = self.data_map._export(self.contact)
        self.assertEqual(
            [r["id"] for r in export["requests"]["records"]],
            (self.access | self.rectification | request).sorted("id").ids,
        )
        self.assertEqual(len(export["requests"]["withheld"]), 3)
        # The erasure withdrew the consent still given: the ledger never says
        # "given" for data that is gone.
        self.assertEqual(
            [(r["action"], r["ip_address"]) for r in export["consents"]["records"]],
            [("given", ""), ("withdrawn", ""), ("withdrawn", "")],
        )

    def test_retention_run_leaves_consenting_contacts_with_their_consent(self):
        # A customer's consent-based data follows the consent, not stage 1:
        # the contact persons who consent stay, with their proof, while the
        # company is restricted.
        with freeze_time("2025-07-01"):
            preview = (
                self.env["willsoft.privacy.retention.preview"]
                .with_user(self.officer)
                .create({})
            )
            line = preview.line_ids.filtered(
                lambda row: row.partner_id == self.customer
            )
            self.assertNotIn("Consents and their proof", line.counts)
            self.engine._cron_privacy_retention()
        self.assertEqual(self.customer.privacy_stage, "restricted")
        self.assertEqual(self.contact.privacy_stage, "none")
        self.given.invalidate_recordset()
        self.assertEqual(self.given.ip_address, IP)
        self.assertEqual(self.colleague_event.ip_address, "198.51.100.7")
        self.assertEqual(
            self.Consent._state(self.contact, self.marketing, "email"), "given"
        )
        self.assertEqual(self.retention_logs("check").result, "ok")
        # Withdrawn, the consent no longer keeps the person: the next run of
        # the company takes them too, and the ledger keeps the lines without
        # their proof.
        self.Consent._record_event(
            self.contact, self.marketing, "email", "withdrawn", "email_link"
        )
        with freeze_time("2025-07-02"):
            self.engine._process(self.customer, "erasure")
        self.assertEqual(self.contact.privacy_stage, "anonymised")
        self.assert_line_kept_without_proof(
            self.given, "given", "email", "2025-01-10 09:30:00"
        )

    # The ledger stays append-only

    def test_only_the_redaction_of_the_proof_gets_through(self):
        event = self.given
        admin = self.env.ref("base.user_admin")
        blank = {"ip_address": False, "user_agent": False, "note": False}
        refused = [
            # The key, but not in superuser mode.
            (self.env(user=self.officer, context=REDACT), blank),
            (self.env(user=admin, context=REDACT), blank),
            # Superuser, without the key.
            (self.env(su=True), blank),
            # Superuser with the key, but anything more or other than blanking
            # exactly the proof.
            (self.env(su=True, context=REDACT), {**blank, "action": "withdrawn"}),
            (self.env(su=True, context=REDACT), {**blank, "notice_id": False}),
            (self.env(su=True, context=REDACT), {"ip_address": False}),
            (
                self.env(su=True, context=REDACT),
                {**blank, "ip_address": "203.0.113.1"},
            ),
            (
                self.env(su=True, context={"willsoft_privacy_redact_proof": "1"}),
                blank,
            ),
        ]
        for index, (env, vals) in enumerate(refused):
            with self.subTest(index=index, vals=str(vals)):
                with self.assertRaisesRegex(UserError, "cannot be changed"):
                    event.with_env(env).write(vals)
        for env in (self.env(su=True, context=REDACT), self.env(user=admin)):
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                event.with_env(env).unlink()
        event.invalidate_recordset()
        self.assertEqual((event.ip_address, event.action), (IP, "given"))
        # The narrow path: proof blanked, the line kept.
        self.assertEqual(self.contact_events._redact_proof(), 2)
        self.assert_line_kept_without_proof(
            event, "given", "email", "2025-01-10 09:30:00"
        )
        self.assertEqual(self.contact_events._redact_proof(), 0)
        # A phone line without its note is no longer refused by the note
        # rule (it was checked when the line was written)...
        self.assertFalse(self.withdrawn.note)
        # ...which still refuses a new phone line without a note.
        with self.assertRaisesRegex(UserError, "note on the phone call"):
            self.Consent._record_event(
                self.contact, self.marketing, "sms", "given", "phone", note=" "
            )
