# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every case of the retention promise on one database: the daily run leaves
the live relationships alone, erases each ended one on its day, and after it
no text column of the database holds an erased person beyond the rows the
personal-data map declares held."""

import re
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.willsoft_privacy.tests.common import (
    EMAIL,
    OLD_EMAIL,
    PHONE,
    RetentionCommon,
)

IBAN = "FI2112345600000785"
SUPPLIER_IBAN = "FI5810171000000122"
# Tables kept by design whatever they hold: the stop lists (hashes, or the
# address that must never be mailed again) and the bus (core empties it
# within minutes). The audit log and the consent ledger are not among them:
# they must hold nothing of the person.
KEPT_BY_DESIGN = {
    "willsoft_privacy_suppression",
    "mail_blacklist",
    "phone_blacklist",
    "bus_bus",
}


def phone_regex(number):
    """A phone number by its digits, however it is spaced, with or without
    the international prefix or the trunk zero."""
    digits = re.sub(r"^(00)?358", "", re.sub(r"\D", "", number)).lstrip("0")
    return "[^0-9]{0,3}".join(digits)


@tagged("post_install", "-at_install")
class TestAllCasesOnOneDatabase(RetentionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer.email = "officer@willsoft.example"
        Partner = cls.env["res.partner"]
        bank_journal = cls.company_data["default_journal_bank"]

        # An active supplier, billing us every month.
        with freeze_time("2023-01-10"):
            cls.supplier = Partner.create(
                {
                    "name": "Toimittaja Oy",
                    "is_company": True,
                    "email": "lasku@toimittaja.fi",
                }
            )
        cls.supplier_bank = cls.env["res.partner.bank"].create(
            {"acc_number": SUPPLIER_IBAN, "partner_id": cls.supplier.id}
        )
        for month in range(12):
            year, number = divmod(6 + month, 12)
            day = f"{2024 + year}-{number + 1:02d}-01"
            with freeze_time(day):
                bill = cls.init_invoice(
                    "in_invoice", partner=cls.supplier, invoice_date=day, amounts=[80]
                )
                bill.partner_bank_id = cls.supplier_bank
                bill.action_post()

        # A prospect with an opportunity opened last month.
        with freeze_time("2023-01-10"):
            cls.prospect = Partner.create(
                {"name": "Näkymä Oy", "is_company": True, "email": "info@nakyma.fi"}
            )
            cls.prospect_person = Partner.create(
                {
                    "name": "Noora Näkymä",
                    "parent_id": cls.prospect.id,
                    "email": "noora@nakyma.fi",
                }
            )
        with freeze_time("2025-05-02"):
            cls.opportunity = cls.env["crm.lead"].create(
                {
                    "name": "Licence",
                    "partner_id": cls.prospect_person.id,
                    "type": "opportunity",
                }
            )
            # Core stamps these with the database clock, not the frozen one.
            cls.opportunity.write(
                {
                    "date_open": "2025-05-02 09:00:00",
                    "date_last_stage_update": "2025-05-02 09:00:00",
                }
            )

        # A returning customer: the relationship ended, then it bought again.
        with freeze_time("2024-01-15"):
            cls.returning, cls.returning_person = cls.make_customer("Palaava Oy")
            cls.returning_person.email = "pekka@palaava.fi"
            cls.post_invoice(cls.returning, "2024-01-15")
        with freeze_time("2025-04-10"):
            cls.returning._privacy_end_relationship(date(2025, 3, 31), "Contract ended")
        with freeze_time("2025-05-15"):
            cls.post_invoice(cls.returning, "2025-05-15")

        # A one-off buyer whose relationship nobody ended.
        with freeze_time("2024-03-01"):
            cls.buyer = Partner.create(
                {"name": "Kertaostaja Oy", "is_company": True, "email": "osto@kerta.fi"}
            )
            cls.buyer_person = Partner.create(
                {
                    "name": "Olli Ostaja",
                    "parent_id": cls.buyer.id,
                    "email": "olli.ostaja@kerta.fi",
                    "phone": "+358 50 111 2233",
                }
            )
            cls.post_invoice(cls.buyer, "2024-03-01")

        # A web lead that never got a partner.
        cls.web_lead = cls.env["crm.lead"].create(
            {
                "name": "Web enquiry",
                "contact_name": "Liisa Verkko",
                "email_from": "liisa.verkko@example.fi",
                "phone": "+358 44 987 6543",
            }
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s, date_last_stage_update = %s "
            "WHERE id = %s",
            ("2025-01-10 10:00:00", "2025-01-10 10:00:00", cls.web_lead.id),
        )
        cls.web_lead.invalidate_recordset()

        # An ended customer: its contact changed address (the old one is in
        # the change history), its invoice went out by email with its PDF, it
        # has bank accounts, a meeting, a lead under the old address, and an
        # access request answered with an export.
        cls.customer, cls.contact, cls.invoice = cls.make_ended_customer("Laskutus Oy")
        cls.customer.email = "laskut@laskutus.fi"
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        cls.env["account.move.send"]._generate_and_send_invoices(
            cls.invoice,
            sending_methods={"email"},
            invoice_edi_format=None,
            mail_partner_ids=cls.customer.ids,
        )
        cls.bank = cls.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": cls.customer.id}
        )
        cls.unused_bank = cls.env["res.partner.bank"].create(
            {"acc_number": "FI4950009420028730", "partner_id": cls.customer.id}
        )
        with freeze_time("2024-03-10"):
            refund_bill = cls.init_invoice(
                "in_invoice",
                partner=cls.customer,
                invoice_date="2024-03-10",
                amounts=[50.0],
            )
            refund_bill.partner_bank_id = cls.bank
            refund_bill.action_post()
            cls.statement_line = cls.env["account.bank.statement.line"].create(
                {
                    "journal_id": bank_journal.id,
                    "date": "2024-03-20",
                    "amount": 100.0,
                    "payment_ref": "Laskutus Oy lasku 1",
                    "partner_id": cls.customer.id,
                    "partner_name": "Laskutus Oy",
                    "account_number": IBAN,
                }
            )
        cls.old_address_lead = cls.env["crm.lead"].create(
            {"name": "Old enquiry", "email_from": OLD_EMAIL, "contact_name": "Matti"}
        )
        with freeze_time("2025-02-01 08:00:00"):
            cls.meeting = (
                cls.env["calendar.event"]
                .with_user(cls.officer)
                .create(
                    {
                        "name": "Renewal talk",
                        "start": "2025-02-10 09:00:00",
                        "stop": "2025-02-10 10:00:00",
                        "partner_ids": [
                            (6, 0, (cls.contact | cls.officer.partner_id).ids)
                        ],
                    }
                )
            )
        Request = cls.env["willsoft.privacy.request"]
        with freeze_time("2025-05-01 10:00:00"):
            cls.access = Request.with_user(cls.officer).create(
                {
                    "partner_id": cls.contact.id,
                    "kind": "access",
                    "description": "Matti asks for a copy.",
                    "requester_email": EMAIL,
                }
            )
            cls.access.with_user(cls.officer).action_start()
            cls.access._make_export()
            cls.access.outcome = "Copy sent through My privacy."
            cls.access.with_user(cls.officer).action_done()
        cls.export_files = (
            cls.access.export_attachment_id
            | cls.access.export_csv_attachment_id
            | cls.access.export_pdf_attachment_id
        )
        cls.env.flush_all()
        cls.env.cr.precommit.run()

        # What each erased person went by, for the scan.
        cls.values = {
            "customer": ["laskut@laskutus.fi"],
            "customer_name": ["Laskutus Oy", IBAN],
            "contact": ["Contact of Laskutus Oy", EMAIL, OLD_EMAIL],
            "contact_phone": [PHONE],
            "buyer": ["osto@kerta.fi", "Olli Ostaja", "olli.ostaja@kerta.fi"],
            "buyer_phone": ["+358 50 111 2233"],
            "buyer_name": ["Kertaostaja Oy"],
            "web": ["Liisa Verkko", "liisa.verkko@example.fi"],
            "web_phone": ["+358 44 987 6543"],
        }

    # Helpers

    def run_on(self, day):
        self.day = day
        with freeze_time(day):
            self.engine._cron_privacy_retention()
        self.env.invalidate_all()

    def live_state(self):
        """What a user sees of the live relationships."""
        partners = (
            self.supplier
            | self.prospect
            | self.prospect_person
            | self.returning
            | self.returning_person
        )
        return {
            "partners": [
                (p.name, p.email, p.active, p.privacy_stage) for p in partners
            ],
            "opportunity": self.opportunity.exists() and self.opportunity.partner_id,
            "bank": self.supplier_bank.exists() and self.supplier_bank.acc_number,
            "messages": self.env["mail.message"]
            .sudo()
            .search_count(
                [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            ),
        }

    def declared_held(self, partners):
        """``{table: ids}`` the map declares held for these partners on the
        day of the last run."""
        held = {}
        with freeze_time(self.day):
            plan = self.data_map._plan(partners)
            for handler in self.data_map._handlers():
                kind = handler["kind"]
                found = plan["found"][kind]
                ids = self.data_map._call_step(kind, "held", found, plan)
                if ids:
                    table = self.env[handler["model"]]._table
                    held.setdefault(table, set()).update(ids)
        return held

    def raw_scan(self, texts, phones):
        """Every text, varchar and jsonb column of every table of the
        database, read with SQL of its own (not the erasure check's list):
        ``[(table, column, row id, value found)]``."""
        self.env.flush_all()
        patterns = [re.escape(t.lower()) for t in texts]
        patterns += [phone_regex(p) for p in phones]
        regex = "(" + "|".join(patterns) + ")"
        compiled = re.compile(regex, re.IGNORECASE)
        cr = self.env.cr
        cr.execute(
            """SELECT c.table_name, array_agg(c.column_name::text),
                      bool_or(c.column_name = 'id') OR EXISTS (
                        SELECT 1 FROM information_schema.columns i
                         WHERE i.table_schema = c.table_schema
                           AND i.table_name = c.table_name AND i.column_name = 'id')
                 FROM information_schema.columns c
                 JOIN information_schema.tables t
                   ON t.table_schema = c.table_schema
                  AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
                WHERE c.table_schema = current_schema()
                  AND c.data_type IN ('text', 'character varying', 'jsonb')
                GROUP BY c.table_schema, c.table_name"""
        )
        hits = []
        for table, columns, has_id in cr.fetchall():
            cells = SQL(", ").join(
                SQL("%s::text", SQL.identifier(column)) for column in columns
            )
            where = SQL(" OR ").join(
                SQL("%s::text ~* %s", SQL.identifier(column), regex)
                for column in columns
            )
            cr.execute(
                SQL(
                    "SELECT %s, %s FROM %s WHERE %s",
                    SQL("id") if has_id else SQL("NULL"),
                    cells,
                    SQL.identifier(table),
                    where,
                )
            )
            for row_id, *texts_found in cr.fetchall():
                for column, text in zip(columns, texts_found, strict=True):
                    found = text and compiled.search(text)
                    if found:
                        hits.append((table, column, row_id, found.group(0)))
        return hits

    def assert_nothing_left(self, erased, keys):
        """The scan finds the values of ``keys`` only in rows the map declares
        held for the ``erased`` partners (or with a held record: the
        messages, tracked values and files of a retained invoice), or in the
        tables kept by design."""
        texts = [
            v for key in keys if not key.endswith("_phone") for v in self.values[key]
        ]
        phones = [v for key in keys if key.endswith("_phone") for v in self.values[key]]
        held = self.declared_held(erased)
        held_records = set()
        for model_name in self.env.registry:
            model = self.env[model_name]
            if model._abstract or model._name == "res.partner":
                continue
            held_records |= {(model._name, i) for i in held.get(model._table, ())}
        cr = self.env.cr
        left = []
        kept = 0
        for table, column, row_id, value in self.raw_scan(texts, phones):
            if table in KEPT_BY_DESIGN or row_id in held.get(table, ()):
                kept += 1
                continue
            document = None
            if table in ("mail_message", "ir_attachment"):
                fields = (
                    "model, res_id" if table == "mail_message" else "res_model, res_id"
                )
                cr.execute(
                    SQL(
                        "SELECT %s FROM %s WHERE id = %s",
                        SQL(fields),
                        SQL.identifier(table),
                        row_id,
                    )
                )
                document = cr.fetchone()
            elif table == "mail_tracking_value":
                cr.execute(
                    "SELECT m.model, m.res_id FROM mail_tracking_value t "
                    "JOIN mail_message m ON m.id = t.mail_message_id WHERE t.id = %s",
                    (row_id,),
                )
                document = cr.fetchone()
            if document and tuple(document) in held_records:
                kept += 1
                continue
            left.append(f"{table}.{column} #{row_id}: {value}")
        self.assertEqual(left, [], "left outside what the map holds")
        return kept

    def assert_checks_ok(self):
        checks = self.retention_logs("check")
        self.assertTrue(checks)
        self.assertEqual(set(checks.mapped("result")), {"ok"})
        self.assertFalse(self.retention_logs("error"))

    # The test

    def test_one_database_every_case(self):
        self.assertEqual(self.supplier.privacy_category, "other")
        self.assertEqual(self.returning.privacy_relationship_end, False)
        self.assertEqual(self.buyer.privacy_category, "customer")
        pdf = self.invoice.invoice_pdf_report_id
        self.assertTrue(pdf)
        self.assertEqual(len(self.export_files), 3)
        invoice_mail = self.env["mail.message"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "=", self.invoice.id),
                ("message_type", "=", "comment"),
            ]
        )
        self.assertTrue(invoice_mail.attachment_ids)

        # The day before the ended customer is due: nobody goes.
        self.run_on("2025-06-29")
        self.assertEqual(
            set(
                (self.supplier | self.prospect | self.returning).mapped("privacy_stage")
            ),
            {"none"},
        )
        self.assertEqual(self.prospect.privacy_category, "prospect")
        live = self.live_state()
        self.assertEqual(self.customer.privacy_stage, "none")
        self.assertEqual(self.contact.email, EMAIL)
        self.assertFalse(self.retention_logs("check"))

        # Stage 1 of the ended customer: three months after the end.
        self.run_on("2025-06-30")
        self.assertEqual(self.live_state(), live)
        self.assertEqual(self.customer.privacy_stage, "restricted")
        self.assertEqual(self.customer.name, "Laskutus Oy")
        self.assertFalse(self.customer.email)
        self.assertEqual(self.contact.privacy_stage, "anonymised")
        self.assertFalse(self.old_address_lead.exists() or self.meeting.exists())
        self.assertFalse(self.export_files.exists())
        self.assertFalse(self.unused_bank.exists())
        self.assertEqual(self.bank.acc_number, IBAN)
        self.assertTrue(pdf.exists())
        self.assertTrue(self.web_lead.exists())
        self.assertEqual(self.buyer.privacy_stage, "none")
        self.assert_checks_ok()
        erased = (self.customer | self.contact).with_context(active_test=False)
        kept = self.assert_nothing_left(
            erased, ("customer", "contact", "contact_phone")
        )
        # The invoice, its PDF and mail, the request's proof are held: the
        # scan does find them, in held rows.
        self.assertTrue(kept)

        # The one-off buyer: 24 months after its voucher, and the grace.
        self.run_on("2026-05-31")
        self.assertEqual(self.buyer.privacy_stage, "none")
        self.run_on("2026-06-01")
        self.assertEqual(self.buyer.privacy_stage, "restricted")
        self.assertEqual(self.buyer_person.privacy_stage, "anonymised")
        self.assertEqual(self.live_state(), live)
        self.assert_checks_ok()
        erased |= (self.buyer | self.buyer_person).with_context(active_test=False)
        self.assert_nothing_left(
            erased, ("customer", "contact", "contact_phone", "buyer", "buyer_phone")
        )

        # The web lead: 24 months after its last activity.
        self.run_on("2027-01-09")
        self.assertTrue(self.web_lead.exists())
        self.run_on("2027-01-10")
        self.assertFalse(self.web_lead.exists())
        self.assertEqual(self.live_state(), live)
        self.assert_nothing_left(erased, ("web", "web_phone"))

        # The live ones go on their own days, not before.
        self.run_on("2027-05-01")
        self.assertEqual(self.live_state(), live)
        self.run_on("2027-05-02")
        self.assertEqual(self.prospect.privacy_stage, "anonymised")
        self.assertFalse(self.opportunity.exists())
        self.assertEqual(self.supplier.privacy_stage, "none")
        self.run_on("2027-05-31")
        self.assertEqual(self.supplier.privacy_stage, "none")
        self.assertEqual(self.supplier_bank.acc_number, SUPPLIER_IBAN)
        self.run_on("2027-06-01")
        self.assertEqual(self.supplier.privacy_stage, "restricted")
        self.assertEqual(self.returning.privacy_stage, "none")
        self.run_on("2027-08-14")
        self.assertEqual(self.returning.privacy_stage, "none")
        self.assertEqual(self.returning_person.email, "pekka@palaava.fi")
        self.run_on("2027-08-15")
        self.assertEqual(self.returning.privacy_stage, "restricted")
        self.assert_checks_ok()

        # Stage 2 when the voucher period of 2024 ends.
        self.run_on("2030-12-31")
        self.assertEqual(self.customer.privacy_stage, "restricted")
        self.assertEqual(self.buyer.privacy_stage, "restricted")
        self.assertTrue(pdf.exists())
        self.run_on("2031-01-01")
        self.assertEqual(self.customer.privacy_stage, "anonymised")
        self.assertEqual(self.buyer.privacy_stage, "anonymised")
        self.assertFalse(pdf.exists())
        self.assertEqual(self.invoice.state, "posted")
        self.assertTrue(self.access.proof_only_date)
        self.assert_checks_ok()
        # Nothing is held any more, and nothing of them is found anywhere.
        self.assertEqual(self.declared_held(erased), {})
        self.assertEqual(self.assert_nothing_left(erased, tuple(self.values)), 0)
