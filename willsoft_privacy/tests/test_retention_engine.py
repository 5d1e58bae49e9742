# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import collections
import json
import re
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import config, email_split

from odoo.addons.mail.tests.common import MockEmail

from .common import EMAIL, OLD_EMAIL, RetentionCommon


@tagged("post_install", "-at_install")
class TestAuditLog(RetentionCommon):
    def test_admin_cannot_edit_or_delete(self):
        entry = self.log._log("run", counts={"messages": 2}, message="Test run")
        admin = self.env.ref("base.user_admin")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            entry.with_user(admin).write({"message": "Rewritten"})
        with self.assertRaises(AccessError):
            entry.with_user(admin).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            entry.sudo().unlink()
        with self.assertRaisesRegex(UserError, "written by the privacy tools"):
            self.log.with_user(admin).create({"event": "run", "user_id": admin.id})
        # Not even sudo gets around it.
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            entry.sudo().write({"result": "error"})
        with self.assertRaisesRegex(UserError, "written by the privacy tools"):
            self.log.sudo().create({"event": "run", "user_id": admin.id})
        self.assertEqual(entry.message, "Test run")
        self.assertEqual(entry.with_user(self.officer).counts, {"messages": 2})
        self.assertEqual(entry.grace_months, 3)
        self.assertEqual(entry.voucher_years, 6)

    def test_a_privacy_user_reads_but_cannot_log(self):
        entry = self.log._log("run")
        # Read from the database, not from the cache the creation filled.
        self.env.invalidate_all()
        self.assertEqual(
            entry.with_user(self.privacy_user).read(["event"]),
            [{"id": entry.id, "event": "run"}],
        )
        with self.assertRaises(AccessError):
            entry.with_user(self.plain_user).read(["event"])
        with self.assertRaises(UserError):
            self.log.with_user(self.privacy_user).create({"event": "run"})
        with self.assertRaises(AccessError):
            entry.with_user(self.privacy_user).unlink()


@tagged("post_install", "-at_install")
class TestDataMap(RetentionCommon):
    def test_export_of_a_contact_holds_their_data_not_colleagues(self):
        customer, contact, _invoice = self.make_ended_customer("Export Oy")
        colleague = self.env["res.partner"].create(
            {"name": "Colleague Person", "parent_id": customer.id, "email": "c@x.fi"}
        )
        colleague.message_post(body="Colleague note", message_type="comment")
        export = self.data_map._export(contact)
        self.assertEqual(
            set(export),
            {h["kind"] for h in self.data_map._handlers()},
        )
        # Machine-readable as it is (GDPR Art. 20).
        self.assertEqual(json.loads(json.dumps(export)), export)
        partner_rows = export["partner"]["records"]
        self.assertEqual([r["id"] for r in partner_rows], [contact.id])
        self.assertEqual(partner_rows[0]["email"], EMAIL)
        bodies = " ".join(r["body"] for r in export["messages"]["records"])
        self.assertIn("Called about the renewal.", bodies)
        self.assertNotIn("Colleague note", bodies)
        olds = [r["old"] for r in export["tracking"]["records"]]
        self.assertIn(OLD_EMAIL, olds)
        self.assertEqual(
            [r["name"] for r in export["attachments"]["records"]], ["contract.pdf"]
        )
        self.assertEqual(
            [r["summary"] for r in export["activities"]["records"]], ["Call back"]
        )

    def test_the_finds_by_parts_take_every_link_and_nothing_else(self):
        """The tracked values and the files are found by one indexed query
        per link (``_any_of``): each link still finds its record, and
        another customer's records stay out."""
        customer, contact, invoice = self.make_ended_customer("Linkit Oy")
        other, other_contact, other_invoice = self.make_ended_customer("Muut Oy")
        parent_field = self.env["ir.model.fields"]._get("res.partner", "parent_id")
        email_field = self.env["ir.model.fields"]._get("res.partner", "email")
        note = other.message_post(body="A note", message_type="comment")
        Tracking = self.env["mail.tracking.value"]
        # A changed many2one once pointed to the contact (their partner id,
        # no text), and the other company once held their old address (a
        # former value).
        by_id = Tracking.create(
            {
                "field_id": parent_field.id,
                "mail_message_id": note.id,
                "old_value_integer": contact.id,
            }
        )
        by_value = Tracking.create(
            {
                "field_id": email_field.id,
                "mail_message_id": note.id,
                "new_value_char": OLD_EMAIL,
            }
        )
        on_invoice = invoice.message_post(body="Sent", message_type="comment")
        by_document = Tracking.create(
            {
                "field_id": email_field.id,
                "mail_message_id": on_invoice.id,
                "old_value_char": "laskut@linkit.fi",
            }
        )
        unrelated = Tracking.create(
            {
                "field_id": email_field.id,
                "mail_message_id": note.id,
                "old_value_char": "muut@muut.fi",
            }
        )
        Attachment = self.env["ir.attachment"]
        written = other.message_post(
            body="Liite",
            message_type="comment",
            author_id=contact.id,
            attachments=[("liite.txt", b"kirjoittanut")],
        ).attachment_ids
        stored_pdf = Attachment.create(
            {
                "name": "invoice.pdf",
                "raw": b"%PDF invoice",
                "res_model": "account.move",
                "res_id": invoice.id,
                "res_field": "invoice_pdf_report_file",
            }
        )
        others_file = Attachment.create(
            {
                "name": "muut.pdf",
                "raw": b"%PDF muut",
                "res_model": "res.partner",
                "res_id": other.id,
            }
        )
        others_invoice_file = Attachment.create(
            {
                "name": "muut-lasku.pdf",
                "raw": b"%PDF muut lasku",
                "res_model": "account.move",
                "res_id": other_invoice.id,
            }
        )
        self.env.flush_all()
        plan = self.data_map._plan(self.engine._with_contacts(customer))
        tracked = plan["found"]["tracking"]
        self.assertEqual(
            tracked & (by_id | by_value | by_document), by_id | by_value | by_document
        )
        self.assertFalse(tracked & unrelated)
        files = plan["found"]["attachments"]
        self.assertEqual(files & (written | stored_pdf), written | stored_pdf)
        self.assertFalse(files & (others_file | others_invoice_file))
        self.assertIn("contract.pdf", files.mapped("name"))
        # The other customer's own plan takes its own, and not these.
        other_plan = self.data_map._plan(self.engine._with_contacts(other))
        self.assertIn(others_file, other_plan["found"]["attachments"])
        self.assertFalse(other_plan["found"]["attachments"] & stored_pdf)
        self.assertFalse(other_plan["found"]["tracking"] & by_document)
        self.assertNotIn(other_contact, plan["partners"])

    def test_export_of_a_company_says_what_accounting_keeps(self):
        customer, contact, _invoice = self.make_ended_customer("Held Oy")
        export = self.data_map._export(customer)
        ids = {r["id"] for r in export["partner"]["records"]}
        # The company's own data: its contact person asks for theirs.
        self.assertEqual(ids, {customer.id})
        self.assertNotIn(contact.id, ids)
        withheld = export["partner"]["withheld"]
        self.assertEqual([w["id"] for w in withheld], [customer.id])
        self.assertIn("Accounting Act", withheld[0]["reason"])
        logged = self.retention_logs("export")
        self.assertEqual(logged.partner_ref, customer.id)
        self.assertEqual(logged.counts["partner"], 1)


@tagged("post_install", "-at_install")
class TestRetentionStages(RetentionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer, cls.contact, cls.invoice = cls.make_ended_customer(
            "Lapuan Kone Oy"
        )
        # The contact person uses the portal.
        cls.portal_user = cls.env["res.users"].create(
            {
                "name": cls.contact.name,
                "login": "matti.portal",
                "partner_id": cls.contact.id,
                "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )
        # A message the contact received on someone else's document.
        cls.other, _other_contact = cls.make_customer("Seinäjoen Sähkö Oy")
        cls.received = cls.other.message_post(
            body="Offer sent to you both.",
            message_type="comment",
            partner_ids=[cls.contact.id],
        )

    def buyer_snapshot(self):
        self.invoice.invalidate_recordset()
        partner = self.invoice.partner_id
        return {
            "display": self.invoice.invoice_partner_display_name,
            "address": partner._display_address(),
            "vat": partner.vat,
            "name": partner.name,
            "html": self.render_invoice(self.invoice),
        }

    def test_day_before_and_day_of_the_deadline(self):
        self.assertEqual(self.customer.privacy_anonymise_date, date(2025, 6, 30))
        with freeze_time("2025-06-29"):
            self.engine._cron_privacy_retention()
            self.assertEqual(self.customer.privacy_stage, "none")
            self.assertEqual(self.contact.email, EMAIL)
            # Entered by the company: proven.
            self.assertTrue(self.contact.privacy_email_proven)
            self.assertTrue(self.contact.privacy_phone_proven)
        before = self.buyer_snapshot()
        with freeze_time("2025-06-30"):
            self.engine._cron_privacy_retention()
        # The buyer stays as the invoice shows it; everything else goes.
        self.assertEqual(self.customer.privacy_stage, "restricted")
        self.assertFalse(self.customer.active)
        self.assertEqual(self.buyer_snapshot(), before)
        self.assertEqual(self.invoice.state, "posted")
        self.assertEqual(self.contact.privacy_stage, "anonymised")
        self.assertEqual(self.contact.name, "Anonymised")
        self.assertFalse(self.contact.email or self.contact.phone)
        self.assertFalse(self.contact.active)
        # The proofs went with the address and the number.
        self.assertEqual(
            self.contact.read(
                [
                    "privacy_email_proven",
                    "privacy_email_proof",
                    "privacy_email_proven_date",
                    "privacy_phone_proven",
                    "privacy_mobile_proven",
                ]
            )[0],
            {
                "id": self.contact.id,
                "privacy_email_proven": False,
                "privacy_email_proof": False,
                "privacy_email_proven_date": False,
                "privacy_phone_proven": False,
                "privacy_mobile_proven": False,
            },
        )

    def test_stage1_erases_the_history_and_retires_the_portal_user(self):
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        Message = self.env["mail.message"]
        self.assertFalse(
            Message.search(
                [("model", "=", "res.partner"), ("res_id", "=", self.contact.id)]
            )
        )
        self.assertFalse(
            self.env["mail.tracking.value"].search(
                [
                    "|",
                    ("old_value_char", "=", OLD_EMAIL),
                    ("new_value_char", "=", EMAIL),
                ]
            )
        )
        self.assertFalse(
            self.env["ir.attachment"].search([("name", "=", "contract.pdf")])
        )
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.contact.id)]
            )
        )
        # The message they received stays with its sender, without them.
        self.assertTrue(self.received.exists())
        self.assertEqual(self.received.body, "<p>Offer sent to you both.</p>")
        self.assertNotIn(self.contact, self.received.partner_ids)
        # Retired the way core does it.
        self.assertFalse(self.portal_user.active)
        self.assertTrue(self.portal_user.login.startswith("__deleted_user_"))
        # The check found nothing left; the log holds no personal data.
        checks = self.retention_logs("check")
        self.assertEqual(checks.mapped("result"), ["ok"])
        for entry in self.log.search([]):
            text = f"{entry.message} {entry.counts}"
            for value in (EMAIL, OLD_EMAIL, "Lapuan", "Contact of"):
                self.assertNotIn(value, text)
        stage1 = self.retention_logs("stage1")
        self.assertEqual(stage1.partner_ref, self.customer.id)
        self.assertEqual(
            stage1.counts, {"contacts": 1, "restricted": 1, "anonymised": 1}
        )
        batch = self.log.search(
            [("event", "=", "run"), ("message", "=like", "stage1 of 1 partners:%")]
        )
        self.assertEqual(batch.counts["activities"], 1)
        self.assertEqual(batch.counts["attachments"], 1)
        # The erased email and phone live on as keyed hashes only.
        suppression = self.env["willsoft.privacy.suppression"].search([])
        self.assertIn("email", suppression.mapped("kind"))
        self.assertIn("phone", suppression.mapped("kind"))
        self.assertNotIn(EMAIL, suppression.mapped("digest"))

    def test_stage2_when_the_voucher_period_ends(self):
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        # January 2024 voucher: kept until 31.12.2030.
        self.assertEqual(self.customer.privacy_accounting_hold_date, date(2030, 12, 31))
        with freeze_time("2030-12-31"):
            self.assertNotIn(self.customer, self.engine._due_partners("stage2"))
        with freeze_time("2031-01-01"):
            self.assertIn(self.customer, self.engine._due_partners("stage2"))
            self.engine._process(self.customer, "stage2")
        self.assertEqual(self.customer.privacy_stage, "anonymised")
        self.assertEqual(self.customer.name, "Anonymised")
        self.assertFalse(
            self.customer.vat or self.customer.street or self.customer.city
        )
        self.assertEqual(self.invoice.invoice_partner_display_name, "Anonymised")
        self.assertEqual(self.retention_logs("check").mapped("result"), ["ok", "ok"])

    def test_legal_hold_stops_both_stages(self):
        with freeze_time("2025-06-01"):
            self.customer.with_user(self.officer).write(
                {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2025-12-31"}
            )
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
            self.assertEqual(self.customer.privacy_stage, "none")
            self.assertEqual(self.contact.email, EMAIL)
        with freeze_time("2026-01-01"):
            self.engine._cron_privacy_retention()
            self.assertEqual(self.customer.privacy_stage, "restricted")
        holds = self.retention_logs("hold")
        self.assertEqual(holds.partner_ref, self.customer.id)
        self.assertEqual(holds.user_id, self.officer)

    def test_the_scheduled_action_reports_its_progress(self):
        cron = self.env.ref("willsoft_privacy.ir_cron_privacy_retention")
        with freeze_time("2025-07-01"):
            cron.method_direct_trigger()
        self.assertEqual(self.customer.privacy_stage, "restricted")
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        self.assertEqual((progress.done, progress.remaining), (1, 0))

    def test_a_job_run_is_one_call_and_hands_the_rest_to_the_next(self):
        """Odoo runs a job that reports work remaining up to 10 times under
        one time limit: each run is one call instead, which triggers the job
        again while work remains."""
        second = self.make_ended_customer("Toinen Oy")[0]
        cron = self.env.ref("willsoft_privacy.ir_cron_privacy_retention")
        Trigger = self.env["ir.cron.trigger"].sudo()

        def job_run():
            run, progress = cron._add_progress()
            self.engine.with_context(
                ir_cron_progress_id=run.env.context["ir_cron_progress_id"]
            )._cron_privacy_retention(batch_size=1, max_batches=1)
            triggers = Trigger.search([("cron_id", "=", cron.id)])
            return (progress.done, progress.remaining), triggers

        with freeze_time("2025-07-01 02:00:00"):
            Trigger.search([("cron_id", "=", cron.id)]).unlink()
            reported, triggers = job_run()
            self.assertEqual(reported, (1, 0))
            self.assertEqual(
                {self.customer.privacy_stage, second.privacy_stage},
                {"restricted", "none"},
            )
            # Later than the run's start, which Odoo clears triggers before.
            self.assertEqual(len(triggers), 1)
            self.assertEqual(str(triggers.call_at), "2025-07-01 02:00:01")
            triggers.unlink()
            reported, triggers = job_run()
            self.assertEqual(reported, (1, 0))
            self.assertFalse(triggers)
        self.assertEqual(second.privacy_stage, "restricted")
        self.assertEqual(self.customer.privacy_stage, "restricted")

    def test_a_call_fits_the_schedulers_time_limit(self):
        """A cron worker's limit counts from before its sleep of up to 70 s
        between polls; a threaded server's from the poll. Once a check was
        timed, a call leaves the window that much time (and a quarter more)
        for its own check."""
        seconds = self.engine._call_seconds
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("willsoft_privacy.check_seconds", False)

        def options(workers, real=120, cron=-1):
            return {
                "workers": workers,
                "limit_time_real": real,
                "limit_time_real_cron": cron,
            }

        # Before any check was timed, one of 30 s is set aside: 50 s after
        # the sleep, 37.5 s for the check, 5 s for the end.
        with patch.dict(config.options, options(2)):
            self.assertEqual(seconds(45), 7.5)
        with patch.dict(config.options, options(2, cron=1800)):
            self.assertEqual(seconds(45), 45)
        with patch.dict(config.options, options(2, cron=0)):
            self.assertEqual(seconds(45), 45)
        with patch.dict(config.options, options(2, cron=60)):
            self.assertEqual(seconds(45), 5)
        with patch.dict(config.options, options(0)):
            self.assertEqual(seconds(45), 45)
        with patch.dict(config.options, options(0, real=60)):
            self.assertEqual(seconds(45), 17.5)
        # 50 s after the sleep, 25 s for the check, 5 s for the end.
        params.set_param("willsoft_privacy.check_seconds", "20.0")
        with patch.dict(config.options, options(2)):
            self.assertEqual(seconds(45), 20)
        params.set_param("willsoft_privacy.check_seconds", "40.0")
        with patch.dict(config.options, options(2)):
            self.assertEqual(seconds(45), 5)
        params.set_param("willsoft_privacy.check_seconds", "4.0")
        with patch.dict(config.options, options(2)):
            self.assertEqual(seconds(45), 40)
        with patch.dict(config.options, options(0)):
            self.assertEqual(seconds(45), 45)

    def test_a_call_times_its_check_for_the_next(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("willsoft_privacy.check_seconds", False)
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(self.customer.privacy_stage, "restricted")
        # Its seconds, to the tenth, for the next call to set aside.
        seconds = params.get_param("willsoft_privacy.check_seconds")
        self.assertRegex(seconds, r"^\d+\.\d$")
        # A call with nothing to check keeps the last time.
        params.set_param("willsoft_privacy.check_seconds", "12.5")
        with freeze_time("2025-07-02"):
            self.engine._cron_privacy_retention()
        self.assertEqual(params.get_param("willsoft_privacy.check_seconds"), "12.5")

    def test_runs_are_idempotent(self):
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
            # Another worker taking the job over finds nothing left to do.
            self.assertFalse(self.engine._due_partners("stage1"))
            self.engine._cron_privacy_retention()
        self.assertEqual(len(self.retention_logs("stage1")), 1)
        self.assertEqual(len(self.retention_logs("run")), 3)

    def test_dry_run_changes_nothing(self):
        with freeze_time("2025-07-01"):
            preview = (
                self.env["willsoft.privacy.retention.preview"]
                .with_user(self.officer)
                .create({})
            )
            line = preview.line_ids.filtered(
                lambda line: line.partner_id == self.customer
            )
            self.assertEqual(line.stage, "stage1")
            self.assertIn("Restrict", line.action)
            self.assertIn("Activities: 1", line.counts)
            self.assertIn("Partner and contact persons: 1 (+1 kept)", line.counts)
        self.assertEqual(self.customer.privacy_stage, "none")
        self.assertEqual(self.contact.email, EMAIL)

    def test_runs_wait_for_approval(self):
        self.company.privacy_run_needs_approval = True
        self.customer.company_id = self.company
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
            self.assertEqual(self.customer.privacy_stage, "none")
            preview = (
                self.env["willsoft.privacy.retention.preview"]
                .with_user(self.officer)
                .create({})
            )
            preview.action_approve()
            self.engine._cron_privacy_retention()
        self.assertEqual(self.customer.privacy_stage, "restricted")

    def test_an_erased_email_coming_back_is_flagged(self):
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        again = self.env["res.partner"].create(
            {"name": "Matti M", "email": EMAIL.upper()}
        )
        self.assertTrue(again.is_blacklisted)
        self.assertTrue(
            again.activity_ids.filtered(lambda a: "Erased" in (a.summary or ""))
        )
        fresh = self.env["res.partner"].create({"name": "New", "email": "n@x.fi"})
        self.assertFalse(fresh.is_blacklisted)
        self.assertFalse(fresh.activity_ids)


@tagged("post_install", "-at_install")
class TestRetentionEdgeCases(RetentionCommon, MockEmail):
    def test_no_retained_voucher_anonymised_at_once(self):
        customer, contact, _invoice = self.make_ended_customer(
            "Vanha Oy", invoice_date=None
        )
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "anonymised")
        self.assertEqual(customer.name, "Anonymised")
        self.assertFalse(customer.street)
        self.assertEqual(contact.privacy_stage, "anonymised")

    def test_prospect_after_its_period_without_contact(self):
        prospect = self.env["res.partner"].create(
            {
                "name": "Potential Person",
                "email": "pp@example.fi",
                "privacy_category": "prospect",
                "privacy_last_contact_date": "2023-05-01",
            }
        )
        self.assertEqual(prospect.privacy_anonymise_date, date(2025, 5, 1))
        with freeze_time("2025-04-30"):
            self.engine._cron_privacy_retention()
            self.assertEqual(prospect.privacy_stage, "none")
        with freeze_time("2025-05-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(prospect.privacy_stage, "anonymised")
        self.assertFalse(prospect.email)

    def test_invoices_across_fiscal_years(self):
        customer, _contact, _invoice = self.make_ended_customer(
            "Kahden Vuoden Oy", invoice_date="2024-12-31"
        )
        self.post_invoice(customer, "2025-01-02")
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        # The 2025 voucher holds the buyer one year longer than the 2024 one.
        with freeze_time("2031-06-01"):
            self.assertNotIn(customer, self.engine._due_partners("stage2"))
        with freeze_time("2032-01-01"):
            self.assertIn(customer, self.engine._due_partners("stage2"))

    def test_accounting_audit_trail_on(self):
        self.company.check_account_audit_trail = True
        customer, contact, invoice = self.make_ended_customer("Audit Oy")
        # A tracked change on a customer is part of the audit trail.
        customer.email = "laskut@audit.fi"
        self.env.flush_all()
        self.env.cr.precommit.run()
        customer.email = "billing@audit.fi"
        self.env.flush_all()
        self.env.cr.precommit.run()
        audit = (
            self.env["mail.message"]
            .search([("model", "=", "res.partner"), ("res_id", "=", customer.id)])
            .filtered("account_audit_log_activated")
        )
        self.assertTrue(audit)
        invoice_messages = self.env["mail.message"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        self.assertFalse(self.retention_logs("error"))
        # Core keeps the audit trail intact: kept, and said so, not a crash.
        self.assertEqual(audit.exists(), audit)
        self.assertIn(
            "laskut@audit.fi", audit.tracking_value_ids.mapped("old_value_char")
        )
        self.assertEqual(invoice_messages.exists(), invoice_messages)
        self.assertEqual(self.retention_logs("check").result, "ok")
        export = self.data_map._export(customer)
        reasons = {w["reason"] for w in export["tracking"]["withheld"]}
        self.assertIn(
            "Part of the accounting audit trail, which Odoo keeps intact.", reasons
        )
        self.assertEqual(contact.privacy_stage, "anonymised")

    def test_a_crash_in_the_middle_of_a_batch(self):
        first, first_contact, _inv = self.make_ended_customer("Eka Oy")
        broken, broken_contact, _inv = self.make_ended_customer("Rikki Oy")
        last, last_contact, _inv = self.make_ended_customer("Vika Oy")
        data_map_class = type(self.data_map)

        def failing(data_map, records, plan):
            if broken in plan["partners"]:
                raise ValueError("disk on fire")
            return data_map._default_erase(records, plan)

        with (
            freeze_time("2025-07-01"),
            # Activities have no erase of their own: add a failing one.
            patch.object(data_map_class, "_erase_activities", failing, create=True),
            self.assertLogs(
                "odoo.addons.willsoft_privacy.models.willsoft_privacy_retention",
                "WARNING",
            ) as logs,
        ):
            self.engine._cron_privacy_retention()
            # Resumable: the next run skips what is done and today's failure.
            self.engine._cron_privacy_retention()
        self.assertEqual(first.privacy_stage, "restricted")
        self.assertEqual(last.privacy_stage, "restricted")
        self.assertEqual(last_contact.privacy_stage, "anonymised")
        # Nothing half done for the failing partner.
        self.assertEqual(broken.privacy_stage, "none")
        self.assertEqual(broken_contact.email, EMAIL)
        self.assertTrue(broken_contact.message_ids)
        errors = self.retention_logs("error")
        self.assertEqual(errors.mapped("partner_ref"), [broken.id])
        self.assertIn("ValueError", errors.message)
        self.assertNotIn("Rikki", errors.message)
        self.assertEqual(len(self.retention_logs("stage1")), 2)
        self.assertIn(f"partner #{broken.id}", logs.output[0])
        # Tomorrow it is tried again.
        with freeze_time("2025-07-02"):
            self.engine._cron_privacy_retention()
        self.assertEqual(broken.privacy_stage, "restricted")

    def test_several_companies(self):
        other_company = self.env["res.company"].create(
            {"name": "Willsoft Sverige AB", "privacy_grace_months": 12}
        )
        here, _contact, _inv = self.make_ended_customer("Täällä Oy", invoice_date=None)
        there, _contact, _inv = self.make_ended_customer(
            "Där AB", invoice_date=None, company=other_company
        )
        self.assertEqual(there.privacy_anonymise_date, date(2026, 3, 31))
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(here.privacy_stage, "anonymised")
        self.assertEqual(there.privacy_stage, "none")
        self.assertEqual(
            self.log.search([("partner_ref", "=", here.id)], limit=1).grace_months, 3
        )
        with freeze_time("2026-03-31"):
            self.engine._cron_privacy_retention()
        self.assertEqual(there.privacy_stage, "anonymised")
        self.assertEqual(
            self.log.search(
                [("partner_ref", "=", there.id), ("event", "=", "stage1")]
            ).grace_months,
            12,
        )

    def test_an_employee_listed_as_a_contact_stays(self):
        customer, contact, _invoice = self.make_ended_customer(
            "Työnantaja Oy", invoice_date=None
        )
        employee = self.env["res.partner"].create(
            {"name": "Our Own Employee", "parent_id": customer.id, "email": "e@ws.fi"}
        )
        self.env["res.users"].create(
            {
                "name": "Our Own Employee",
                "login": "own.employee",
                "partner_id": employee.id,
            }
        )
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        self.assertEqual(employee.name, "Our Own Employee")
        self.assertEqual(employee.email, "e@ws.fi")
        self.assertEqual(self.retention_logs("check").result, "ok")

    def test_erase_now_one_contact_person(self):
        customer, contact, _invoice = self.make_ended_customer("Pyyntö Oy")
        colleague = self.env["res.partner"].create(
            {"name": "Kollega", "parent_id": customer.id, "email": "k@pyynto.fi"}
        )
        self.engine._erase_now(contact)
        self.assertEqual(contact.privacy_stage, "anonymised")
        self.assertEqual(colleague.email, "k@pyynto.fi")
        self.assertEqual(customer.privacy_stage, "none")
        self.assertEqual(self.retention_logs("erasure").partner_ref, contact.id)

    def test_erasure_check_reports_leftovers(self):
        customer, contact, _invoice = self.make_ended_customer("Jäämä Oy")
        # A colleague quotes the person's email in a note on another partner.
        other, _c = self.make_customer("Toinen Oy")
        other.message_post(body=f"Write to {EMAIL}", message_type="comment")
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        check = self.retention_logs("check")
        self.assertEqual(check.result, "warning")
        self.assertEqual(check.counts, {"mail_message.body": 1})

    def queue_mails(self, contact):
        """Mails not sent yet: to the person (their address as typed, and
        their old one), to someone else, and to both."""
        Mail = self.env["mail.mail"]
        values = {"email_from": "myynti@willsoft.fi", "body_html": "<p>Tarjous</p>"}
        return {
            "person": Mail.create(
                {**values, "subject": "To Matti", "email_to": EMAIL.upper()}
            ),
            "old": Mail.create(
                {
                    **values,
                    "subject": "To Matti's old address",
                    "email_cc": f'"Matti M." <{OLD_EMAIL}>',
                    "recipient_ids": [Command.set(contact.ids)],
                    "state": "exception",
                }
            ),
            "other": Mail.create(
                {
                    **values,
                    "subject": "To Liisa",
                    "email_to": '"Liisa Laine" <liisa@seinajoensahko.fi>',
                }
            ),
            "both": Mail.create(
                {
                    **values,
                    "subject": "To both",
                    "email_to": f"Liisa Laine <liisa@seinajoensahko.fi>, "
                    f"Matti <{EMAIL}>",
                }
            ),
        }

    def test_erasure_cancels_the_mail_queued_to_the_person(self):
        _customer, contact, _invoice = self.make_ended_customer("Jonossa Oy")
        mails = self.queue_mails(contact)
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        queued = self.env["mail.mail"].search(
            [("state", "in", ("outgoing", "exception"))]
        )
        for mail in queued:
            text = f"{mail.email_to} {mail.email_cc}".lower()
            self.assertNotIn(EMAIL, text)
            self.assertNotIn(OLD_EMAIL, text)
            self.assertNotIn(contact, mail.recipient_ids)
        self.assertFalse((mails["person"] | mails["old"]).exists())
        self.assertEqual(
            mails["other"].email_to, '"Liisa Laine" <liisa@seinajoensahko.fi>'
        )
        self.assertEqual(mails["other"].state, "outgoing")
        self.assertEqual(
            email_split(mails["both"].email_to), ["liisa@seinajoensahko.fi"]
        )
        self.assertEqual(mails["both"].state, "outgoing")
        self.assertEqual(self.retention_logs("check").result, "ok")
        # The queue runs: Liisa gets her mails, nothing goes to Matti.
        with self.mock_mail_gateway():
            # As its scheduled action runs it.
            self.env["mail.mail"].sudo().process_email_queue()
        sent_to = email_split(
            ", ".join(email for mail in self._mails for email in mail["email_to"])
        )
        self.assertEqual(sent_to.count("liisa@seinajoensahko.fi"), 2)
        self.assertNotIn(EMAIL, sent_to)
        self.assertNotIn(OLD_EMAIL, sent_to)

    def test_erasure_check_finds_a_mail_left_in_the_queue(self):
        _customer, contact, _invoice = self.make_ended_customer("Unohdettu Oy")
        self.queue_mails(contact)
        data_map_class = type(self.data_map)
        with (
            patch.object(
                data_map_class,
                "_erase_queued_mails",
                lambda data_map, records, plan: 0,
            ),
            freeze_time("2025-07-01"),
        ):
            self.engine._cron_privacy_retention()
        check = self.retention_logs("check")
        self.assertEqual(check.result, "warning")
        self.assertEqual(
            check.counts, {"mail_mail.email_to": 2, "mail_mail.email_cc": 1}
        )


@tagged("post_install", "-at_install")
class TestRetentionQueries(RetentionCommon):
    @classmethod
    def make_due(cls, count):
        partners = cls.env["res.partner"]
        for index in range(count):
            company = cls.env["res.partner"].create(
                {
                    "name": f"Kyselytesti {index} Oy",
                    "is_company": True,
                    "email": f"info{index}@kysely.fi",
                    "privacy_category": "prospect",
                    "privacy_last_contact_date": "2022-01-01",
                }
            )
            contact = cls.env["res.partner"].create(
                {"name": f"Henkilö {index}", "parent_id": company.id}
            )
            contact.message_post(body="Hello", message_type="comment")
            contact.activity_schedule("mail.mail_activity_data_todo")
            partners |= company
        return partners

    def count_queries(self, partners):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.engine._process(partners, "stage1")
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_queries_per_batch_do_not_grow_with_the_batch(self):
        small = self.make_due(2)
        large = self.make_due(10)
        with freeze_time("2025-07-01"):
            small_count = self.count_queries(small)
            large_count = self.count_queries(large)
        self.assertEqual(set(small.mapped("privacy_stage")), {"anonymised"})
        self.assertEqual(set(large.mapped("privacy_stage")), {"anonymised"})
        # Five times the partners, (almost) the same queries.
        self.assertLessEqual(large_count, small_count + 5, (small_count, large_count))

    def test_a_batch_rewrites_each_partner_once(self):
        """The erasure's writes of the partners reach PostgreSQL together, at
        the batch's flush: one UPDATE for each set of values (here the buyer
        restricted, the others anonymised), not one for each write and more
        for what the writes recompute. Each UPDATE rewrites the rows and
        every index of ``res_partner``: each partner is rewritten once."""
        due = self.make_due(3)
        buyer, contact, _invoice = self.make_ended_customer("Ostaja Oy")
        self.env.flush_all()
        with (
            freeze_time("2025-07-01"),
            self.assertLogs("odoo.sql_db", "DEBUG") as logs,
        ):
            self.engine._process(due | buyer, "stage1")
            self.env.flush_all()
        persons = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("parent_id", "in", (due | buyer).ids)])
        )
        everyone = due | buyer | persons
        self.assertEqual(buyer.privacy_stage, "restricted")
        self.assertEqual(set((due | persons).mapped("privacy_stage")), {"anonymised"})
        self.assertIn(contact, persons)
        self.assertFalse(any(everyone.mapped("active")))
        self.assertEqual(set(persons.mapped("privacy_end_reason")), {False})
        # The rows of each UPDATE: the ids of its VALUES list.
        rewritten = collections.Counter(
            int(pid)
            for line in logs.output
            if 'UPDATE "res_partner"' in line
            for pid in re.findall(
                r"\((\d+), ", line.split("(VALUES", 1)[1].split(") AS", 1)[0]
            )
        )
        self.assertEqual(set(rewritten), set(everyone.ids))
        self.assertEqual(set(rewritten.values()), {1}, rewritten)

    def test_a_call_reads_the_restricted_contact_persons_once(self):
        """Every batch's claim asks which restricted contact persons are due
        for stage 2: where invoices name contact persons as buyers, there
        are as many as customers. A call reads them once, whatever the
        number of its batches."""
        due = self.make_due_quickly(4, "Erä")
        with (
            freeze_time("2025-07-01"),
            self.assertLogs("odoo.sql_db", "DEBUG") as logs,
        ):
            self.engine._cron_privacy_retention(batch_size=1)
        self.assertEqual(set(due.mapped("privacy_stage")), {"anonymised"})
        reads = [
            line
            for line in logs.output
            if '"parent_id" IS NOT NULL' in line
            and "\"privacy_stage\" = 'restricted'" in line
        ]
        self.assertEqual(len(reads), 1, reads)

    def make_due_quickly(self, count, prefix):
        """``count`` due prospects with a contact person each, created in
        two calls."""
        companies = self.env["res.partner"].create(
            [
                {
                    "name": f"{prefix} {index} Oy",
                    "is_company": True,
                    "email": f"{prefix.lower()}{index}@kysely.fi",
                    "privacy_category": "prospect",
                    "privacy_last_contact_date": "2022-01-01",
                }
                for index in range(count)
            ]
        )
        self.env["res.partner"].create(
            [
                {"name": f"{prefix} Henkilö {index}", "parent_id": company.id}
                for index, company in enumerate(companies)
            ]
        )
        return companies

    def open_dry_run(self):
        """The officer's Next retention run as the web client opens it: the
        menu's action, then the form's data with the first page of lines.
        Returns the queries and the lines read."""
        Preview = self.env["willsoft.privacy.retention.preview"].with_user(self.officer)
        line_fields = ("stage", "action", "record_count", "held_count", "counts")
        spec = {
            "line_ids": {
                "fields": {
                    "partner_id": {"fields": {"display_name": {}}},
                    **{fname: {} for fname in line_fields},
                },
                "limit": 10,
            }
        }
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        action = (
            self.env.ref(
                "willsoft_privacy.willsoft_privacy_retention_preview_action_open"
            )
            .with_user(self.officer)
            .run()
        )
        values = Preview.browse(action["res_id"]).web_read(spec)[0]
        # All the lines' ids, the first page's with their fields.
        read = [line for line in values["line_ids"] if "action" in line]
        return self.env.cr.sql_log_count - before, values["line_ids"], read

    def test_the_dry_run_computes_the_page_shown_only(self):
        with freeze_time("2025-07-01"):
            small = self.make_due_quickly(10, "Pieni")
            small_count, _lines, small_page = self.open_dry_run()
            self.make_due_quickly(90, "Suuri")
            large_count, large_lines, large_page = self.open_dry_run()
        self.assertEqual(len(large_lines), 100)
        self.assertEqual(len(small_page), 10)
        self.assertEqual(len(large_page), 10)
        shown = {line["partner_id"]["id"] for line in small_page}
        self.assertEqual(shown, set(small.ids))
        self.assertTrue(all("Anonymise" in line["action"] for line in large_page))
        # Ten times the partners due, the same page: (almost) the same
        # queries (before, every line was computed on opening).
        self.assertLessEqual(large_count, small_count + 5, (small_count, large_count))
