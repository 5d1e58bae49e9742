# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users

from .common import PrivacyCommon, tampered


@tagged("post_install", "-at_install")
class TestPrivacyRequest(PrivacyCommon):
    """The legal clock and the life of a request, as an officer sees it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer, cls.person = cls.make_customer()
        cls.person.email = "person@example.com"
        cls.colleague = cls.env["res.partner"].create(
            {
                "name": "Colleague",
                "parent_id": cls.customer.id,
                "email": "c@example.com",
            }
        )

    def new_request(self, **vals):
        return (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": self.person.id, "kind": "access", **vals})
        )

    def test_due_date_is_one_calendar_month(self):
        cases = {
            date(2026, 3, 10): date(2026, 4, 10),
            date(2026, 1, 31): date(2026, 2, 28),
            date(2028, 1, 31): date(2028, 2, 29),  # leap year
            date(2026, 12, 15): date(2027, 1, 15),
        }
        for received, due in cases.items():
            with self.subTest(received=received):
                request = self.new_request(received_date=received)
                self.assertEqual(request.due_date, due)

    def test_sequence_and_person_required(self):
        request = self.new_request()
        self.assertRegex(request.name, r"^DSR/\d{4}/\d{4}$")
        with self.assertRaisesRegex(ValidationError, "Give the person"):
            self.env["willsoft.privacy.request"].with_user(self.officer).create(
                {"kind": "access", "requester_name": "Nobody"}
            )

    @freeze_time("2026-02-20")
    def test_extension_within_first_month(self):
        request = self.new_request(received_date=date(2026, 1, 31))
        with self.assertRaisesRegex(UserError, "Give the reason"):
            request.action_extend(2, "  ")
        self.assertEqual(request.due_date, date(2026, 2, 28))
        request.action_extend(1, "Twelve years of correspondence")
        self.assertEqual(request.due_date, date(2026, 3, 31))
        request.action_extend(1, "Still more to collect")
        self.assertEqual(request.due_date, date(2026, 4, 30))
        with self.assertRaisesRegex(UserError, "two further months at most"):
            request.action_extend(1, "Once more")
        self.assertEqual(request.extension_months, 2)

    def test_extension_after_first_month_is_refused(self):
        with freeze_time("2026-01-10"):
            request = self.new_request(received_date=date(2026, 1, 10))
        with freeze_time("2026-02-11"):
            with self.assertRaisesRegex(UserError, "first month ran out"):
                request.action_extend(1, "Too late")
        self.assertEqual(request.due_date, date(2026, 2, 10))
        with freeze_time("2026-02-10"):
            request.action_extend(1, "On the last day")
        self.assertEqual(request.due_date, date(2026, 3, 10))

    def test_deadline_status(self):
        with freeze_time("2026-03-01"):
            request = self.new_request(received_date=date(2026, 2, 5))
            self.assertEqual(request.deadline_status, "week")
            late = self.new_request(received_date=date(2026, 1, 5), kind="erasure")
            self.assertEqual(late.deadline_status, "overdue")
            fresh = self.new_request(received_date=date(2026, 3, 1), kind="objection")
            self.assertEqual(fresh.deadline_status, "later")
            overdue = self.env["willsoft.privacy.request"].search(
                [
                    ("id", "in", (request | late | fresh).ids),
                    ("due_date", "<", "2026-03-01"),
                ]
            )
            self.assertEqual(overdue, late)

    def test_desk_title_counts_open_and_overdue(self):
        Request = self.env["willsoft.privacy.request"].with_user(self.officer)
        Request.search([]).sudo().unlink()
        with freeze_time("2026-03-01"):
            self.new_request(received_date=date(2026, 1, 5))
            self.new_request(received_date=date(2026, 2, 20), kind="erasure")
            done = self.new_request(received_date=date(2026, 1, 1), kind="objection")
            done.refusal_reason = "Not ours."
            done.action_refuse()
            action = Request.action_open_desk()
        self.assertEqual(action["res_model"], "willsoft.privacy.request")
        self.assertEqual(action["name"], "Requests: 2 open, 1 overdue")

    def test_state_guards(self):
        request = self.new_request()
        with self.assertRaisesRegex(UserError, "Only a request in progress"):
            request.action_done()
        request.action_identity_check()
        self.assertEqual(request.state, "identity")
        with self.assertRaisesRegex(UserError, "Only a new request"):
            request.action_identity_check()
        request.action_start()
        self.assertEqual(request.state, "progress")
        self.assertEqual(request.user_id, self.officer)
        with self.assertRaisesRegex(UserError, "Write the outcome"):
            request.action_done()
        self.assertEqual(request.state, "progress")
        request.outcome = "Sent a copy of your data."
        request.action_done()
        self.assertEqual(request.state, "done")
        self.assertTrue(request.closed_date)
        with self.assertRaisesRegex(UserError, "already answered"):
            request.action_refuse()
        with self.assertRaisesRegex(UserError, "cannot be extended"):
            request.action_extend(1, "Late")

    def test_unknown_person_must_be_identified_before_start(self):
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create(
                {
                    "kind": "erasure",
                    "requester_name": "Who",
                    "requester_email": "who@example.com",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "Identify the person"):
            request.action_start()
        request.partner_id = self.person
        request.action_start()
        self.assertEqual(request.state, "progress")

    def test_refusal_needs_a_reason(self):
        request = self.new_request(kind="erasure")
        with self.assertRaisesRegex(UserError, "reason for the refusal"):
            request.action_refuse()
        self.assertEqual(request.state, "new")
        request.refusal_reason = "The invoices must be kept."
        request.action_refuse()
        self.assertEqual(request.state, "refused")

    @users("privacy_user")
    def test_privacy_user_reads_but_cannot_answer(self):
        request = self.new_request().with_user(self.env.user)
        self.assertEqual(request.kind, "access")
        with self.assertRaises(AccessError):
            request.action_start()
        with self.assertRaises(AccessError):
            request.write({"outcome": "x"})
        with self.assertRaises(AccessError):
            self.env["willsoft.privacy.request"].create(
                {"partner_id": self.person.id, "kind": "access"}
            )

    def test_other_company_requests_are_out_of_reach(self):
        other_company = self.env["res.company"].create({"name": "Other Oy"})
        foreign = self.env["willsoft.privacy.request"].create(
            {
                "partner_id": self.person.id,
                "kind": "access",
                "company_id": other_company.id,
            }
        )
        Request = self.env["willsoft.privacy.request"].with_user(self.officer)
        self.assertFalse(Request.search([("id", "=", foreign.id)]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.officer).read(["name"])

    def test_rectification_diff_and_apply(self):
        request = self.new_request(
            kind="rectification",
            rect_name="Contact Renamed",
            rect_email="person@example.com",  # unchanged: not in the difference
            rect_city="Lapua",
        )
        self.assertIn("Contact Renamed", request.rectification_diff)
        self.assertIn("Lapua", request.rectification_diff)
        self.assertNotIn("person@example.com", request.rectification_diff)
        request.action_start()
        request.outcome = "Corrected."
        with self.assertRaisesRegex(UserError, "Apply or clear"):
            request.action_done()
        request.action_apply_rectification()
        self.assertEqual(self.person.name, "Contact Renamed")
        self.assertEqual(self.person.city, "Lapua")
        self.assertIn(self.person, request.message_ids[0].partner_ids)
        self.assertIn("Contact Renamed", request.message_ids[0].body)
        # GDPR 19: each recipient of the register is told (or why not).
        with self.assertRaisesRegex(UserError, "each recipient"):
            request.action_done()
        request.recipient_ids.state = "informed"
        request.action_done()
        self.assertEqual(request.state, "done")

    def test_objection_blacklists_at_once(self):
        request = self.new_request(kind="objection")
        blacklist = self.env["mail.blacklist"].search(
            [("email", "=", "person@example.com")]
        )
        self.assertTrue(blacklist.active)
        self.assertTrue(request.marketing_stopped_date)
        self.assertTrue(self.person.is_blacklisted)
        self.assertIn("blacklist", request.message_ids.mapped("body")[0])

    def test_export_holds_the_person_and_not_colleagues(self):
        self.person.message_post(
            body="Please call me about the invoice", message_type="comment"
        )
        self.colleague.message_post(
            body="Secret of the colleague", message_type="comment"
        )
        request = self.new_request()
        request.action_start()
        request.action_prepare_export()
        data = request.export_attachment_id.raw.decode()
        self.assertIn('"schema": "willsoft_privacy.export/1"', data)
        self.assertIn("person@example.com", data)
        self.assertIn("Please call me about the invoice", data)
        self.assertNotIn("c@example.com", data)
        self.assertNotIn("Secret of the colleague", data)
        csv_data = request.export_csv_attachment_id.raw.decode("utf-8-sig")
        self.assertIn(f"partner,{self.person.id},email,person@example.com", csv_data)
        # The readable copy (HTML while testing, PDF in use) shows the same.
        readable = request.export_pdf_attachment_id.raw.decode()
        self.assertIn("person@example.com", readable)
        self.assertIn("Please call me about the invoice", readable)
        self.assertNotIn("c@example.com", readable)
        self.assertIn("A copy of my data", readable)  # words, not the code
        url = request._export_url("json")
        token = url.rsplit("/", 1)[1]
        self.assertEqual(
            request._export_check_token("json", token), request.export_attachment_id
        )
        self.assertFalse(request._export_check_token("json", tampered(token)))
        self.assertFalse(request._export_check_token("csv", token))
        request.export_expiry = "2000-01-01 00:00:00"
        self.assertFalse(
            request._export_check_token("json", request._export_url().rsplit("/", 1)[1])
        )

    def test_erasure_runs_stage_one_for_the_person_only(self):
        name = self.person.name
        self.person.message_post(body="Please call me about the invoice")
        request = self.new_request(kind="erasure")
        request.action_start()
        # The dry run first: counted, nothing erased.
        preview = str(request.erasure_preview)
        self.assertIn("Messages and notes", preview)
        self.assertIn("Partner and contact persons", preview)
        self.assertEqual(self.person.email, "person@example.com")
        request.action_run_erasure()
        self.assertFalse(self.person.email)
        self.assertNotEqual(self.person.name, name)
        self.assertIn("has been erased", request.outcome)
        self.assertIn("has been erased", request.message_ids[0].body)
        # Colleagues and the company keep their data.
        self.assertEqual(self.colleague.email, "c@example.com")
        self.assertEqual(self.customer.privacy_stage, "none")

    def test_restriction_keeps_the_data_and_stops_marketing(self):
        request = self.new_request(kind="restriction")
        with self.assertRaisesRegex(UserError, "Start the request"):
            request.action_restrict_processing()
        request.action_start()
        request.action_restrict_processing()
        # The person who asked, not their organisation.
        self.assertNotEqual(self.customer.privacy_state, "hold")
        self.assertIn(request.name, self.person.privacy_hold_reason)
        self.assertEqual(self.person.privacy_state, "hold")
        self.assertTrue(
            self.env["mail.blacklist"].search([("email", "=", "person@example.com")])
        )
        self.assertIn("restricted", request.outcome)
        # Stage 1 of the organisation, run by the retention engine, takes the
        # colleague and leaves the restricted person as they are.
        self.env["willsoft.privacy.retention"]._process(self.customer, "stage1")
        self.assertEqual(self.colleague.privacy_stage, "anonymised")
        self.assertFalse(self.colleague.email)
        self.assertEqual(self.person.privacy_stage, "none")
        self.assertEqual(self.person.email, "person@example.com")

    def test_erasure_on_legal_hold_changes_nothing(self):
        self.customer.with_user(self.officer).write(
            {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2099-12-31"}
        )
        request = self.new_request(kind="erasure")
        request.action_start()
        with self.assertRaisesRegex(UserError, "legal hold until"):
            request.action_run_erasure()
        self.assertEqual(self.person.email, "person@example.com")
        self.assertFalse(request.outcome)
