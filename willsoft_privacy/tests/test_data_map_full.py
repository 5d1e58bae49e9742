# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import EMAIL, OLD_EMAIL, RetentionCommon

IBAN = "FI2112345600000785"
ERASED = "<p>Erased for privacy.</p>"


@tagged("post_install", "-at_install")
class TestDataMapFull(RetentionCommon):
    """What the map finds beyond the partner, and how long each kind is held:
    an invoice sent by email with its PDF, bank accounts and statement lines,
    an access request's export, portal logins and devices."""

    def commit_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def checks(self, partner):
        """The erasure checks of this partner's batches (the set-up's other
        partners reach their own day in later years)."""
        # A check of several companies at once names none of them; the
        # results, each once: ["ok"] when every check found nothing left.
        return sorted(
            set(
                self.retention_logs("check")
                .filtered(lambda c: c.partner_ref in (partner.id, 0))
                .mapped("result")
            )
        )

    def test_invoice_sent_by_email_with_its_pdf(self):
        customer, _contact, invoice = self.make_ended_customer("Laskutus Oy")
        customer.email = "laskut@laskutus.fi"
        self.commit_tracking()
        self.env["account.move.send"]._generate_and_send_invoices(
            invoice,
            sending_methods={"email"},
            invoice_edi_format=None,
            mail_partner_ids=customer.ids,
        )
        # An e-invoice, as an e-invoicing module stores it on the entry.
        einvoice = self.env["ir.attachment"].create(
            {
                "name": "INV_2024_00001_einvoice.xml",
                "res_model": "account.move",
                "res_id": invoice.id,
                "raw": b"<Invoice><BuyerName>Laskutus Oy</BuyerName></Invoice>",
                "mimetype": "application/xml",
            }
        )
        self.commit_tracking()
        pdf = invoice.invoice_pdf_report_id
        self.assertTrue(pdf)
        mail = self.env["mail.message"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "=", invoice.id),
                ("message_type", "=", "comment"),
            ]
        )
        self.assertEqual(len(mail), 1)
        mail_copy = mail.attachment_ids
        self.assertTrue(mail_copy)
        body = str(mail.body)
        # A posted customer with no company: core counts its changes as the
        # accounting audit trail, even with the setting off.
        self.assertFalse(self.company.check_account_audit_trail)
        audit = (
            self.env["mail.message"]
            .search([("model", "=", "res.partner"), ("res_id", "=", customer.id)])
            .filtered("account_audit_log_activated")
        )
        self.assertTrue(audit)

        export = self.data_map._export(customer)
        self.assertLessEqual(
            set((pdf | einvoice | mail_copy).ids),
            {row["id"] for row in export["attachments"]["records"]},
        )
        self.assertIn(mail.id, {row["id"] for row in export["messages"]["records"]})
        withheld = {w["id"]: w["reason"] for w in export["attachments"]["withheld"]}
        self.assertEqual(
            withheld[pdf.id],
            "Kept with a posted invoice until 2030-12-31 (Accounting Act 2:10), "
            "then destroyed.",
        )

        # Stage 1: the invoice, its file and its mail stay as they were.
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        self.assertEqual(
            (pdf | einvoice | mail_copy).exists(), pdf | einvoice | mail_copy
        )
        self.assertEqual(str(mail.body), body)
        self.assertEqual(audit.exists(), audit)
        self.assertEqual(self.checks(customer), ["ok"])

        # The day before the voucher period ends, nothing moves.
        with freeze_time("2030-12-31"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        self.assertTrue(pdf.exists())

        # Stage 2: the files go, the mail keeps no text, the audit trail of
        # the partner goes through core's bypass.
        with freeze_time("2031-01-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "anonymised")
        self.assertFalse((pdf | einvoice | mail_copy).exists())
        invoice.invalidate_recordset()
        self.assertFalse(invoice.invoice_pdf_report_id)
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(mail.exists())
        self.assertEqual(str(mail.body), ERASED)
        self.assertFalse(mail.subject)
        self.assertFalse(audit.exists())
        self.assertFalse(
            self.env["mail.tracking.value"].search(
                [
                    "|",
                    ("old_value_char", "=", "laskut@laskutus.fi"),
                    ("new_value_char", "=", "laskut@laskutus.fi"),
                ]
            )
        )
        self.assertFalse(self.retention_logs("error"))
        self.assertEqual(self.checks(customer), ["ok"])

    def test_bank_account_and_statement_lines(self):
        customer, _contact, _invoice = self.make_ended_customer("Pankki Oy")
        used = self.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": customer.id}
        )
        unused = self.env["res.partner.bank"].create(
            {"acc_number": "FI5810171000000122", "partner_id": customer.id}
        )
        bill = self.init_invoice(
            "in_invoice", partner=customer, invoice_date="2024-03-10", amounts=[50.0]
        )
        bill.partner_bank_id = used
        bill.action_post()
        line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "date": "2024-03-20",
                "amount": 100.0,
                "payment_ref": "Pankki Oy lasku 1",
                "partner_id": customer.id,
                "partner_name": "Pankki Oy",
                "account_number": IBAN,
            }
        )
        self.commit_tracking()
        self.assertEqual(line.move_id.state, "posted")
        export = self.data_map._export(customer)
        self.assertEqual(
            [(r["account"], r["holder"]) for r in export["statement_lines"]["records"]],
            [(IBAN, "Pankki Oy")],
        )
        self.assertEqual(
            {w["id"]: w["reason"] for w in export["banks"]["withheld"]},
            {
                used.id: "Used on an entry kept for the voucher period: kept "
                "until 2030-12-31 (Accounting Act 2:10)."
            },
        )

        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        self.assertFalse(unused.exists())
        self.assertEqual(used.acc_number, IBAN)
        self.assertEqual(line.partner_name, "Pankki Oy")
        self.assertEqual(self.checks(customer), ["ok"])

        with freeze_time("2031-01-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "anonymised")
        self.assertFalse(
            self.env["res.partner.bank"]
            .with_context(active_test=False)
            .search([("acc_number", "in", (IBAN, "FI5810171000000122"))])
        )
        # The old bill still points at the account, which keeps no number.
        self.assertEqual(bill.partner_bank_id, used)
        self.assertFalse(used.acc_holder_name)
        self.assertFalse(line.partner_name or line.account_number or line.payment_ref)
        self.assertNotIn("Pankki Oy lasku 1", line.move_id.line_ids.mapped("name"))
        self.assertEqual(line.amount, 100.0)
        self.assertFalse(self.env["mail.message"].search([("body", "ilike", IBAN)]))
        self.assertFalse(self.retention_logs("error"))
        self.assertEqual(self.checks(customer), ["ok"])

    def test_access_request_export_expires_and_the_request_is_reduced(self):
        customer, contact, _invoice = self.make_ended_customer("Kopio Oy")
        Request = self.env["willsoft.privacy.request"]
        with freeze_time("2025-05-01 10:00:00"):
            access = Request.with_user(self.officer).create(
                {
                    "partner_id": contact.id,
                    "kind": "access",
                    "description": "Matti Meikäläinen asks for a copy.",
                    "requester_email": EMAIL,
                }
            )
            access.with_user(self.officer).action_start()
            access._make_export()
        files = (
            access.export_attachment_id
            | access.export_csv_attachment_id
            | access.export_pdf_attachment_id
        )
        self.assertEqual(len(files), 3)
        with freeze_time("2025-05-08 09:00:00"):
            self.engine._cron_privacy_retention()
            self.assertEqual(files.exists(), files)
            self.assertTrue(access.export_available)
        # The link has expired: the copies go with it.
        with freeze_time("2025-05-08 11:00:00"):
            self.engine._cron_privacy_retention()
        self.assertFalse(files.exists())
        self.assertFalse(access.export_attachment_id)

        # A new copy, then the erasure: the copy goes at once.
        with freeze_time("2025-06-01 10:00:00"):
            access._make_export()
            access.outcome = "Copy sent through My privacy."
            access.with_user(self.officer).action_done()
        second = access.export_attachment_id | access.export_pdf_attachment_id
        self.assertTrue(second)
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(contact.privacy_stage, "anonymised")
        self.assertFalse(second.exists())
        # Still the proof of how the right was answered, in full for now.
        self.assertEqual(access.description, "Matti Meikäläinen asks for a copy.")
        self.assertEqual(self.checks(customer), ["ok"])

        # 36 months after the answer, only the proof stays.
        self.assertEqual(self.company.privacy_request_proof_months, 36)
        with freeze_time("2028-05-31"):
            self.engine._cron_privacy_retention()
        self.assertFalse(access.proof_only_date)
        with freeze_time("2028-06-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(access.proof_only_date, date(2028, 6, 1))
        self.assertFalse(access.description or access.requester_email)
        self.assertEqual(
            (access.kind, access.state, access.received_date, access.closed_date),
            ("access", "done", date(2025, 5, 1), date(2025, 6, 1)),
        )
        self.assertEqual(access.outcome, "Copy sent through My privacy.")
        messages = self.env["mail.message"].search(
            [("model", "=", access._name), ("res_id", "=", access.id)]
        )
        self.assertEqual(set(messages.mapped("message_type")), {"notification"})
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", access._name), ("res_id", "=", access.id)]
            )
        )

    def test_portal_logins_and_devices(self):
        customer, contact, _invoice = self.make_ended_customer("Laite Oy")
        user = self.env["res.users"].create(
            {
                "name": contact.name,
                "login": "laite.portal",
                "partner_id": contact.id,
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        login = self.env["res.users.log"].with_user(user).sudo().create({})
        device = (
            self.env["res.device.log"]
            .sudo()
            .create(
                {
                    "session_identifier": "a1b2c3",
                    "user_id": user.id,
                    "ip_address": "203.0.113.9",
                    "platform": "linux",
                    "browser": "firefox",
                    "first_activity": "2025-03-01 08:00:00",
                    "last_activity": "2025-03-02 08:00:00",
                }
            )
        )
        # An employee's logins are not the register's.
        staff = self.env["res.users.log"].with_user(self.officer).sudo().create({})
        export = self.data_map._export(contact)
        self.assertEqual([r["id"] for r in export["login_logs"]["records"]], login.ids)
        self.assertEqual(
            [r["ip_address"] for r in export["devices"]["records"]], ["203.0.113.9"]
        )
        # My privacy counts them with the use of our website.
        holdings = self.env["willsoft.privacy.request"]._portal_holdings
        website_card = holdings(contact)[3]
        self.assertIn(("Portal logins", 1), website_card["items"])
        self.assertIn(("Devices and sessions", 1), website_card["items"])
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertFalse(login.exists() or device.exists())
        self.assertTrue(staff.exists())
        self.assertEqual(self.checks(customer), ["ok"])

    def test_former_address_is_searched_by_the_map(self):
        _customer, contact, _invoice = self.make_ended_customer("Vanha Oy")
        former = self.data_map._former_values(contact)
        self.assertIn(OLD_EMAIL, former)
        self.assertIn(EMAIL, former)
        handlers = self.data_map._handlers()
        self.assertTrue(all(h.get("model") in self.env for h in handlers))

    def test_months_of_proof_must_be_a_positive_number(self):
        with self.assertRaisesRegex(ValidationError, "at least 1"):
            self.company.privacy_request_proof_months = 0
        self.assertEqual(self.company.privacy_request_proof_months, 36)
