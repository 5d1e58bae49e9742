# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged, users

from odoo.addons.willsoft_privacy.models.res_partner import CLOCK_OVERLAP, CLOCK_PARAM

from .common import RetentionCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestRetentionClock(RetentionCommon):
    """The last contact follows what really happens, and the retention run
    goes by it."""

    def run_retention(self, day):
        with freeze_time(day):
            self.engine._cron_privacy_retention()

    def make_partner(self, name, **vals):
        return self.env["res.partner"].create(
            {"name": name, "is_company": True, **vals}
        )

    def tracked(self, partner, fname):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        return partner.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == fname
        )

    def test_active_supplier_is_kept(self):
        with freeze_time("2023-01-10"):
            supplier = self.make_partner("Toimittaja Oy", email="lasku@toimittaja.fi")
        self.assertEqual(supplier.privacy_category, "other")
        self.assertEqual(supplier.privacy_anonymise_date, date(2025, 1, 10))
        for day in ("2023-02-01", "2024-06-01", "2025-05-01"):
            with freeze_time(day):
                self.post_invoice(supplier, day, move_type="in_invoice")
        with freeze_time("2025-05-20"):
            payment = self.env["account.payment"].create(
                {
                    "payment_type": "outbound",
                    "partner_type": "supplier",
                    "partner_id": supplier.id,
                    "amount": 100.0,
                    "date": "2025-05-20",
                    "journal_id": self.company_data["default_journal_bank"].id,
                }
            )
            payment.action_post()
        # Two years after it was created, and still billing us.
        self.run_retention("2025-06-01")
        self.assertEqual(supplier.privacy_stage, "none")
        self.assertEqual(supplier.email, "lasku@toimittaja.fi")
        self.assertEqual(supplier.privacy_last_contact_date, date(2025, 5, 20))
        self.assertEqual(supplier.privacy_category, "other", "bills make no customer")
        self.assertEqual(supplier.privacy_anonymise_date, date(2027, 5, 20))
        # Two years after the last payment it goes, kept for its bills.
        self.run_retention("2027-05-19")
        self.assertEqual(supplier.privacy_stage, "none")
        self.run_retention("2027-05-20")
        self.assertEqual(supplier.privacy_stage, "restricted")
        self.assertFalse(supplier.email)

    def test_returning_customer_reopens_the_relationship(self):
        with freeze_time("2025-04-10"):
            customer, contact, _invoice = self.make_ended_customer(
                "Palaava Oy", end="2025-03-31", invoice_date="2024-01-15"
            )
        ended = self.tracked(customer, "privacy_relationship_end")
        self.assertEqual(customer.privacy_anonymise_date, date(2025, 6, 30))
        with freeze_time("2025-05-15"):
            self.post_invoice(customer, "2025-05-15")
        self.assertFalse(customer.privacy_relationship_end)
        self.assertFalse(customer.privacy_end_reason)
        self.assertEqual(customer.privacy_state, "active")
        self.assertEqual(contact.privacy_state, "active")
        reopening = self.tracked(customer, "privacy_relationship_end") - ended
        self.assertEqual(reopening.old_value_datetime.date(), date(2025, 3, 31))
        reopened = self.retention_logs("reopen")
        self.assertEqual(reopened.partner_ref, customer.id)
        self.assertIn(
            "relationship continues", "".join(customer.message_ids.mapped("body"))
        )
        # Nobody ended it again: two years after this invoice, plus the grace.
        self.assertEqual(customer.privacy_anonymise_date, date(2027, 8, 15))
        self.run_retention("2025-07-01")
        self.assertEqual(customer.privacy_stage, "none")
        self.assertEqual(contact.email, "matti.meikalainen@lapuankone.fi")

    def test_invoice_before_the_end_does_not_reopen(self):
        with freeze_time("2025-04-10"):
            customer, _contact, _invoice = self.make_ended_customer(
                "Myöhäinen Oy", end="2025-03-31"
            )
            # A late invoice for work done before the end.
            self.post_invoice(customer, "2025-03-20")
        self.assertEqual(customer.privacy_relationship_end, date(2025, 3, 31))
        self.assertFalse(self.retention_logs("reopen"))

    def test_one_off_buyer_ends_after_the_idle_period(self):
        with freeze_time("2024-03-01"):
            buyer = self.make_partner("Kertaostaja Oy", email="osto@kerta.fi")
            self.post_invoice(buyer, "2024-03-01")
        self.assertEqual(buyer.privacy_category, "customer")
        self.assertFalse(buyer.privacy_category_manual)
        self.assertFalse(buyer.privacy_relationship_end)
        self.assertEqual(buyer.privacy_last_voucher_date, date(2024, 3, 1))
        # 24 months without a voucher end it, then the 3 months of grace.
        self.assertEqual(buyer.privacy_anonymise_date, date(2026, 6, 1))
        self.company.privacy_customer_idle_months = 12
        self.assertEqual(buyer.privacy_anonymise_date, date(2025, 6, 1))
        self.company.privacy_customer_idle_months = 24
        self.run_retention("2026-05-31")
        self.assertEqual(buyer.privacy_stage, "none")
        self.run_retention("2026-06-01")
        self.assertEqual(buyer.privacy_stage, "restricted")
        self.assertFalse(buyer.email)
        self.run_retention("2031-01-01")
        self.assertEqual(buyer.privacy_stage, "anonymised")

    def test_messages_to_and_from_the_person_count(self):
        with freeze_time("2023-01-10"):
            partner = self.make_partner("Viesti Oy")
            person = self.env["res.partner"].create(
                {
                    "name": "Viesti Henkilö",
                    "parent_id": partner.id,
                    "email": "viesti@example.fi",
                }
            )
            other = self.make_partner("Muu Oy")
        with freeze_time("2024-02-01"):
            # A note about them that nobody sent them: no contact.
            partner._message_log(body="Address checked.")
            person.message_post(body="Internal note", message_type="comment")
        self.env["res.partner"]._privacy_refresh_clock(full=True)
        self.assertFalse(partner.privacy_last_event_date)
        self.assertEqual(partner.privacy_last_contact_date, date(2023, 1, 10))
        with freeze_time("2024-03-01"):
            # Their mail, on someone else's record.
            other.message_post(
                body="Question", message_type="email", author_id=person.id
            )
        self.env["res.partner"]._privacy_refresh_clock()
        self.assertEqual(partner.privacy_last_event_date, date(2024, 3, 1))
        self.assertEqual(person.privacy_last_contact_date, date(2024, 3, 1))
        with freeze_time("2024-04-01"):
            other.message_post(
                body="Answer", message_type="comment", partner_ids=person.ids
            )
        self.env["res.partner"]._privacy_refresh_clock()
        self.assertEqual(partner.privacy_last_contact_date, date(2024, 4, 1))
        self.assertEqual(partner.privacy_anonymise_date, date(2026, 4, 1))

    def test_logins_consents_and_requests_count(self):
        with freeze_time("2023-01-10"):
            partner = self.make_partner("Portaali Oy")
            portal = self.env["res.users"].create(
                {
                    "name": "Portaali Käyttäjä",
                    "login": "portaali@example.fi",
                    "parent_id": partner.id,
                    "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
                }
            )
        processing = self.env["willsoft.privacy.processing"].search(
            [("legal_basis", "=", "consent")], limit=1
        )
        self.env["res.partner"]._privacy_refresh_clock()
        before = partner.privacy_last_event_date
        # A contact person's consent keeps that person alone, not their
        # organisation's clock; a person's own consent moves theirs.
        with freeze_time("2024-05-02"):
            self.env["willsoft.privacy.consent"]._record_event(
                portal.partner_id, processing, "email", "given", "import"
            )
            person = self.env["res.partner"].create({"name": "Yksityinen Henkilö"})
            self.env["willsoft.privacy.consent"]._record_event(
                person, processing, "email", "given", "import"
            )
        self.env["res.partner"]._privacy_refresh_clock()
        self.assertEqual(partner.privacy_last_event_date, before)
        self.assertEqual(person.privacy_last_event_date, date(2024, 5, 2))
        with freeze_time("2024-06-03"):
            self.env["willsoft.privacy.request"].with_user(self.officer).create(
                {"partner_id": portal.partner_id.id, "kind": "access"}
            )
        self.env["res.partner"]._privacy_refresh_clock()
        self.assertEqual(partner.privacy_last_event_date, date(2024, 6, 3))
        # A login is stamped by the database clock, not the frozen one.
        self.env["res.users.log"].with_user(portal).sudo().create({})
        self.env["res.partner"]._privacy_refresh_clock()
        self.assertEqual(partner.privacy_last_event_date, self.env.cr.now().date())

    @users("privacy_user")
    def test_last_contact_entered_by_hand(self):
        partner = self.env["res.partner"].create(
            {"name": "Puhelin Oy", "email": "puhelin@example.fi"}
        )
        self.assertFalse(self.tracked(partner.sudo(), "privacy_contact_date_manual"))
        with freeze_time("2024-09-01"):
            partner.privacy_contact_date_manual = "2024-08-30"
        self.assertEqual(partner.privacy_last_contact_date, date(2024, 8, 30))
        entry = self.log.sudo().search([("event", "=", "contact")])
        self.assertEqual(entry.partner_ref, partner.id)
        self.assertEqual(entry.user_id, self.privacy_user)
        self.assertTrue(self.tracked(partner.sudo(), "privacy_contact_date_manual"))
        # A date entered by hand never hides a later event.
        with freeze_time("2024-10-01"):
            partner.sudo().message_post(
                body="Hi", message_type="email", author_id=partner.id
            )
        self.env["res.partner"]._privacy_refresh_clock()
        partner.privacy_contact_date_manual = "2024-09-15"
        self.assertEqual(partner.privacy_last_contact_date, date(2024, 10, 1))
        # Older imports write the last contact: it is the date entered.
        partner.privacy_last_contact_date = "2024-12-24"
        self.assertEqual(partner.privacy_contact_date_manual, date(2024, 12, 24))
        self.assertEqual(partner.privacy_last_contact_date, date(2024, 12, 24))

    def test_category_set_by_hand_stays(self):
        partner = self.make_partner("Valittu Oy")
        self.assertFalse(partner.privacy_category_manual)
        partner.with_user(self.privacy_user).privacy_category = "prospect"
        self.assertTrue(partner.privacy_category_manual)
        self.env["res.partner"]._privacy_refresh_clock(full=True)
        self.assertEqual(partner.privacy_category, "prospect")
        # Let the facts decide again: nothing sold, an other contact.
        partner.privacy_category_manual = False
        self.env["res.partner"]._privacy_refresh_clock(full=True)
        self.assertEqual(partner.privacy_category, "other")

    def test_each_category_has_its_period(self):
        prospect = self.make_partner(
            "Mahdollinen Oy",
            privacy_category="prospect",
            privacy_last_contact_date="2024-01-31",
        )
        other = self.make_partner(
            "Muu Kontakti Oy", privacy_last_contact_date="2024-01-31"
        )
        self.company.write({"privacy_prospect_months": 6, "privacy_other_months": 12})
        self.assertEqual(prospect.privacy_anonymise_date, date(2024, 7, 31))
        self.assertEqual(other.privacy_anonymise_date, date(2025, 1, 31))
        Processing = self.env["willsoft.privacy.processing"]
        for rule, months in (("prospect", 6), ("other", 12)):
            register = Processing.create(
                {
                    "name": f"Register rule {rule}",
                    "legal_basis": "legitimate_interest",
                    "retention_rule": rule,
                }
            )
            self.assertEqual(
                register.retention_period,
                f"Destroyed after {months} months without contact.",
            )

    def test_settings_refuse_periods_below_one(self):
        for fname in ("privacy_other_months", "privacy_customer_idle_months"):
            with self.subTest(fname=fname):
                with self.assertRaisesRegex(ValidationError, "at least 1"):
                    self.env["res.config.settings"].create({fname: 0}).execute()
                self.assertEqual(self.company[fname], 24)

    def test_restricted_contact_reaches_stage_two_on_their_own_date(self):
        with freeze_time("2024-01-15"):
            company, contact = self.make_customer("Oma Päivä Oy")
            contact.email = "oma@paiva.fi"
            self.post_invoice(contact, "2024-01-15")
        with freeze_time("2026-02-01"):
            self.engine._erase_now(contact)
        self.assertEqual(contact.privacy_stage, "restricted")
        with freeze_time("2030-06-01"):
            # The company still buys.
            self.post_invoice(company, "2030-06-01")
        self.assertEqual(company.privacy_accounting_hold_date, date(2036, 12, 31))
        self.run_retention("2030-12-31")
        self.assertEqual(contact.privacy_stage, "restricted")
        self.run_retention("2031-01-01")
        self.assertEqual(contact.privacy_stage, "anonymised")
        self.assertEqual(contact.name, "Anonymised")
        self.assertEqual(company.privacy_stage, "none")

    def test_restriction_never_shortens_a_longer_hold(self):
        with freeze_time("2026-03-01"):
            company, person = self.make_customer("Riita Oy")
            company.with_user(self.officer).write(
                {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2029-12-31"}
            )
            request = (
                self.env["willsoft.privacy.request"]
                .with_user(self.officer)
                .create({"partner_id": person.id, "kind": "restriction"})
            )
            request.action_start()
            request.action_restrict_processing()
        self.assertEqual(company.privacy_hold_until, date(2029, 12, 31))
        self.assertEqual(company.privacy_hold_reason, "Dispute")
        self.assertIn("12/31/2029", request.outcome)


@tagged("post_install", "-at_install")
class TestRetentionClockQueries(RetentionCommon):
    """Keeping the clock costs a fixed number of queries, whatever the
    number of partners."""

    @classmethod
    def make_talkers(cls, count):
        partners = cls.env["res.partner"].create(
            [
                {
                    "name": f"Puhuja {index} Oy",
                    "is_company": True,
                    "email": f"puhuja{index}@example.fi",
                }
                for index in range(count)
            ]
        )
        other = cls.env["res.partner"].create({"name": "Kirjeenvaihto Oy"})
        for partner in partners:
            other.message_post(body="Hello", message_type="email", author_id=partner.id)
        return partners

    def count_refresh(self, partners):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        refreshed = self.env["res.partner"]._privacy_refresh_clock()
        self.env.flush_all()
        self.assertGreaterEqual(refreshed, len(partners))
        return self.env.cr.sql_log_count - before

    def test_the_run_does_not_refresh_what_it_erased(self):
        """Each call of the retention run refreshes the clock of partners
        with events changed in the hour before the last refresh: its own
        writes on the partners it erased are such changes, and reading them
        again at every call made a long run slower call by call. An erased
        partner's clock is read again only for a newer event."""
        Partner = self.env["res.partner"]
        with freeze_time("2024-03-01"):
            buyer = Partner.create({"name": "Kertaostaja Oy", "is_company": True})
            self.post_invoice(buyer, "2024-03-01")
        with freeze_time("2026-06-01"):
            Partner._privacy_refresh_clock(full=True)
            self.engine._cron_privacy_retention()
            self.assertEqual(buyer.privacy_stage, "restricted")
            changed, may_move = self.changed_since_last_refresh()
            # The run renamed the buyer on its retained invoice: a change.
            self.assertIn(buyer.id, changed)
            self.assertNotIn(buyer.id, may_move)
            # Mail from the buyer: a new contact.
            buyer.message_post(
                body="Uusi tilaus",
                message_type="email",
                author_id=buyer.id,
                email_from="osto@kerta.fi",
            )
            changed, may_move = self.changed_since_last_refresh()
            self.assertIn(buyer.id, may_move)
        self.assertEqual(Partner._privacy_refresh_clock(), len(may_move))
        self.assertEqual(buyer.privacy_last_event_date, date(2026, 6, 1))

    def changed_since_last_refresh(self):
        Partner = self.env["res.partner"]
        self.env.flush_all()
        last = self.env["ir.config_parameter"].sudo().get_param(CLOCK_PARAM)
        changed = Partner._privacy_last_events(
            since=fields.Datetime.to_datetime(last) - CLOCK_OVERLAP
        )
        return changed, Partner._privacy_clock_may_move(changed)

    def test_refresh_queries_do_not_grow_with_the_partners(self):
        self.env["res.partner"]._privacy_refresh_clock(full=True)
        small = self.make_talkers(2)
        small_count = self.count_refresh(small)
        large = self.make_talkers(20)
        large_count = self.count_refresh(large)
        today = self.env.cr.now().date()
        self.assertEqual(set(large.mapped("privacy_last_event_date")), {today})
        _logger.info(
            "Clock refresh: %s queries for %s partners, %s for %s",
            small_count,
            len(small),
            large_count,
            len(large),
        )
        # Ten times the partners, the same queries.
        self.assertLessEqual(large_count, small_count + 2, (small_count, large_count))

    def test_one_query_for_every_source(self):
        partners = self.make_talkers(5)
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        self.env["res.partner"]._privacy_last_events(partners.ids)
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
