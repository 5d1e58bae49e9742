# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestRetentionDates(PrivacyCommon):
    def test_grace_period_at_month_ends_and_leap_days(self):
        customer, contact = self.make_customer()
        cases = [
            # relationship end -> anonymisation due (end + 3 months)
            ("2024-01-31", date(2024, 4, 30)),  # no 31 April
            ("2023-11-30", date(2024, 2, 29)),  # into a leap February
            ("2024-11-30", date(2025, 2, 28)),  # into a common February
            ("2024-02-29", date(2024, 5, 29)),  # from a leap day
            ("2025-03-15", date(2025, 6, 15)),
        ]
        for end, due in cases:
            with self.subTest(end=end):
                customer.privacy_relationship_end = end
                self.assertEqual(customer.privacy_anonymise_date, due)
                # The contact person follows the company.
                self.assertEqual(
                    contact.privacy_relationship_end, customer.privacy_relationship_end
                )
                self.assertEqual(contact.privacy_anonymise_date, due)
                self.assertEqual(contact.privacy_state, "ended")

    def test_voucher_period_calendar_fiscal_year(self):
        customer, contact = self.make_customer()
        self.assertFalse(customer.privacy_accounting_hold_date)
        self.post_invoice(customer, "2025-01-15")
        # January 2025 in a calendar year: kept until 31.12.2031.
        self.assertEqual(customer.privacy_accounting_hold_date, date(2031, 12, 31))
        self.assertEqual(contact.privacy_accounting_hold_date, date(2031, 12, 31))
        # An older invoice does not shorten the period; a newer one extends it.
        self.post_invoice(customer, "2023-05-02")
        self.assertEqual(customer.privacy_accounting_hold_date, date(2031, 12, 31))
        self.post_invoice(contact, "2026-01-02")
        self.assertEqual(customer.privacy_accounting_hold_date, date(2032, 12, 31))

    def test_voucher_period_fiscal_year_ending_in_june(self):
        self.company.write({"fiscalyear_last_day": 30, "fiscalyear_last_month": "6"})
        before_end, _contact = self.make_customer("Before Oy")
        after_end, _contact = self.make_customer("After Oy")
        self.post_invoice(before_end, "2024-06-30")  # fiscal year ends 30.6.2024
        self.post_invoice(after_end, "2024-08-01")  # fiscal year ends 30.6.2025
        self.assertEqual(before_end.privacy_accounting_hold_date, date(2030, 12, 31))
        self.assertEqual(after_end.privacy_accounting_hold_date, date(2031, 12, 31))

    def test_voucher_period_fiscal_year_ending_in_february(self):
        self.company.write({"fiscalyear_last_day": 28, "fiscalyear_last_month": "2"})
        customer, _contact = self.make_customer()
        # 29.2.2024 closes the fiscal year that ends in February 2024.
        self.post_invoice(customer, "2024-02-29")
        self.assertEqual(customer.privacy_accounting_hold_date, date(2030, 12, 31))
        # Moving the fiscal year moves the dates already stored.
        self.company.write({"fiscalyear_last_day": 31, "fiscalyear_last_month": "12"})
        self.assertEqual(customer.privacy_accounting_hold_date, date(2030, 12, 31))
        self.company.write({"fiscalyear_last_day": 31, "fiscalyear_last_month": "1"})
        self.assertEqual(customer.privacy_accounting_hold_date, date(2031, 12, 31))

    def test_policy_change_moves_stored_dates(self):
        customer, contact = self.make_customer()
        self.post_invoice(customer, "2025-01-15")
        customer.privacy_relationship_end = "2025-06-30"
        self.company.write({"privacy_voucher_years": 10, "privacy_grace_months": 1})
        self.assertEqual(customer.privacy_accounting_hold_date, date(2035, 12, 31))
        self.assertEqual(contact.privacy_anonymise_date, date(2025, 7, 30))

    def test_draft_and_reset_invoices_hold_nothing(self):
        customer, _contact = self.make_customer()
        draft = self.init_invoice(
            "out_invoice", partner=customer, invoice_date="2025-01-15", amounts=[10.0]
        )
        self.assertFalse(customer.privacy_accounting_hold_date)
        draft.action_post()
        self.assertEqual(customer.privacy_accounting_hold_date, date(2031, 12, 31))
        draft.button_draft()
        self.assertFalse(customer.privacy_accounting_hold_date)

    def test_posting_a_sale_makes_a_customer(self):
        prospect = self.env["res.partner"].create(
            {"name": "Kalle Mäkinen", "privacy_category": "prospect"}
        )
        self.post_invoice(prospect, "2025-03-04")
        self.assertEqual(prospect.privacy_category, "customer")
        self.assertEqual(prospect.privacy_relationship_start, date(2025, 3, 4))
        # A vendor bill does not.
        vendor = self.env["res.partner"].create({"name": "Toimittaja Oy"})
        self.post_invoice(vendor, "2025-03-04", move_type="in_invoice")
        self.assertEqual(vendor.privacy_category, "other")
        self.assertEqual(vendor.privacy_accounting_hold_date, date(2031, 12, 31))

    def test_prospects_expire_without_contact(self):
        prospect = self.env["res.partner"].create(
            {
                "name": "Kalle Mäkinen",
                "privacy_category": "prospect",
                "privacy_last_contact_date": "2024-02-29",
            }
        )
        self.assertEqual(prospect.privacy_anonymise_date, date(2026, 2, 28))
        self.assertEqual(prospect.privacy_state, "active")
        self.company.privacy_prospect_months = 6
        self.assertEqual(prospect.privacy_anonymise_date, date(2024, 8, 29))

    @freeze_time("2026-03-10")
    def test_states_and_their_texts(self):
        customer, contact = self.make_customer()
        self.assertEqual(customer.privacy_state, "active")
        self.assertEqual(customer.privacy_state_info, "Active")
        customer.privacy_relationship_end = "2026-01-31"
        self.assertEqual(customer.privacy_state, "ended")
        self.assertEqual(
            customer.privacy_state_info, "Ended, anonymisation due on 04/30/2026"
        )
        customer.with_user(self.officer).write(
            {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2026-06-30"}
        )
        self.assertEqual(contact.privacy_state, "hold")
        self.assertEqual(contact.privacy_state_info, "On legal hold until 06/30/2026")
        customer.sudo().privacy_stage = "restricted"
        self.assertEqual(customer.privacy_state, "hold")
        customer.sudo().privacy_hold_until = False
        self.assertEqual(customer.privacy_state, "restricted")
        customer.sudo().privacy_stage = "anonymised"
        self.assertEqual(customer.privacy_state, "anonymised")

    def test_legal_hold_ends_by_the_daily_cron(self):
        customer, contact = self.make_customer()
        with freeze_time("2026-03-10"):
            customer.privacy_relationship_end = "2026-01-31"
            customer.with_user(self.officer).write(
                {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2026-03-31"}
            )
            self.assertEqual(contact.privacy_state, "hold")
        with freeze_time("2026-03-31"):
            self.env["res.partner"]._cron_privacy_refresh_states()
            self.assertEqual(customer.privacy_state, "hold")  # the last day of the hold
        with freeze_time("2026-04-01"):
            self.env["res.partner"]._cron_privacy_refresh_states()
            self.assertEqual(customer.privacy_state, "ended")
            self.assertEqual(contact.privacy_state, "ended")

    @freeze_time("2026-03-10")
    def test_smart_button_lists_vouchers_that_hold_the_partner(self):
        customer, contact = self.make_customer()
        old = self.post_invoice(customer, "2019-06-01")  # kept until 31.12.2025: gone
        kept = self.post_invoice(contact, "2020-01-10")  # kept until 31.12.2026
        self.assertEqual(customer.privacy_retained_move_count, 1)
        self.assertEqual(contact.privacy_retained_move_count, 1)
        action = customer.action_privacy_view_retained_moves()
        moves = self.env["account.move"].search(action["domain"])
        self.assertEqual(moves, kept)
        self.assertNotIn(old, moves)

    def test_voucher_holds_through_its_last_day(self):
        customer, _contact = self.make_customer()
        with freeze_time("2026-12-31"):
            kept = self.post_invoice(customer, "2020-01-10")  # kept until 31.12.2026
            customer.invalidate_recordset()
            self.assertEqual(customer.privacy_retained_move_count, 1)
            moves = self.env["account.move"].search(
                customer.action_privacy_view_retained_moves()["domain"]
            )
            self.assertEqual(moves, kept)
        with freeze_time("2027-01-01"):
            customer.invalidate_recordset()
            self.assertEqual(customer.privacy_retained_move_count, 0)

    def test_install_makes_customers_of_existing_buyers(self):
        buyer = self.env["res.partner"].create({"name": "Vanha Asiakas Oy"})
        self.post_invoice(buyer, "2021-09-01")
        self.post_invoice(buyer, "2020-02-03")
        # As if the invoices were posted before the module was installed.
        buyer.write({"privacy_category": "other", "privacy_relationship_start": False})
        self.env["res.partner"]._privacy_init_customers()
        self.assertEqual(buyer.privacy_category, "customer")
        self.assertEqual(buyer.privacy_relationship_start, date(2020, 2, 3))
