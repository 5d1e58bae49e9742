# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import RetentionCommon


@tagged("post_install", "-at_install")
class TestRetentionBatches(RetentionCommon):
    """How the run picks its next batch; two runs at once are tested in
    tests/test_retention_concurrency.py (they need committed transactions)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.older, _c, _i = cls.make_ended_customer("Vanha Oy", end="2024-01-31")
        cls.newer, _c, _i = cls.make_ended_customer("Uusi Oy", end="2025-03-31")
        # Our own people: an internal user whose partner has no company, an
        # archived one, and the company itself, all with ended relationships.
        cls.employee = cls.env["res.users"].create(
            {"name": "Oma Työntekijä", "login": "oma.tyontekija"}
        )
        cls.retired = cls.env["res.users"].create(
            {"name": "Entinen Työntekijä", "login": "entinen", "active": False}
        )
        for partner in (
            cls.employee.partner_id | cls.retired.partner_id | (cls.company.partner_id)
        ):
            partner.privacy_category = "customer"
            partner._privacy_end_relationship(
                cls.newer.privacy_relationship_end, "Test"
            )

    def test_the_oldest_due_first_and_one_batch_at_most(self):
        with freeze_time("2025-07-01"):
            self.assertEqual(self.engine._claim("stage1", 1), self.older)
            self.assertEqual(self.engine._claim("stage1", 10), self.older | self.newer)
            self.assertFalse(self.engine._claim("stage2", 10))

    def test_stage2_takes_the_companies_then_the_persons_due_on_their_own(self):
        """A contact person erased on request while their company stays is
        kept as the buyer of their own invoice until its period ends; stage
        2 then takes them on their own, after the companies due."""
        live, buyer = self.make_customer("Elävä Oy")
        self.post_invoice(buyer, "2019-05-02")
        self.post_invoice(live, "2025-06-02")
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
            self.engine._erase_now(buyer)
        self.assertEqual(self.older.privacy_stage, "restricted")
        self.assertEqual(buyer.privacy_stage, "restricted")
        self.assertEqual(live.privacy_stage, "none")
        self.assertEqual(
            self.older.privacy_accounting_hold_date.isoformat(), "2030-12-31"
        )
        # The buyer's own invoice: kept until the end of 2025 (six years
        # after its financial year).
        with freeze_time("2026-01-02"):
            self.assertEqual(self.engine._claim("stage2", 10), buyer)
        with freeze_time("2031-01-02"):
            self.assertEqual(self.engine._claim("stage2", 1).ids, [self.older.id])
            batch = self.engine._claim("stage2", 10)
            self.assertEqual(batch.ids, [self.older.id, self.newer.id, buyer.id])
            self.engine._process(batch, "stage2")
            self.assertFalse(self.engine._claim("stage2", 10))
        self.assertEqual(buyer.privacy_stage, "anonymised")
        self.assertEqual(self.older.privacy_stage, "anonymised")
        self.assertEqual(live.privacy_stage, "none")

    def test_our_own_people_are_never_claimed(self):
        ours = self.employee.partner_id | self.retired.partner_id
        ours |= self.company.partner_id
        self.assertTrue(all(p.privacy_anonymise_date for p in ours))
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
            self.assertFalse(self.engine._claim("stage1", 100))
        self.assertEqual(set(ours.mapped("privacy_stage")), {"none"})
        self.assertEqual(self.employee.partner_id.name, "Oma Työntekijä")
        self.assertEqual(self.newer.privacy_stage, "restricted")

    def test_remaining_is_counted_up_to_the_next_call(self):
        def batch():
            return self.engine._run_batch(1), self.engine._remaining(1)

        with freeze_time("2025-07-01"):
            self.assertEqual(batch(), (1, 1))
            self.assertEqual(batch(), (1, 0))
            self.assertEqual(batch(), (0, 0))
