# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestAccess(PrivacyCommon):
    def test_plain_user_cannot_change_retention_settings(self):
        for user in (self.plain_user, self.privacy_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.company.with_user(user).privacy_grace_months = 1
                with self.assertRaises(AccessError):
                    self.env["res.config.settings"].with_user(user).create(
                        {"privacy_voucher_years": 1}
                    )
        self.company.invalidate_recordset()
        self.assertEqual(self.company.privacy_grace_months, 3)

    def test_only_officers_set_legal_holds(self):
        customer, contact = self.make_customer()
        hold = {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2099-12-31"}
        for user in (self.plain_user, self.privacy_user):
            for partner in (customer, contact):
                with (
                    self.subTest(user=user.login, partner=partner.name),
                    self.assertRaisesRegex(AccessError, "privacy officer"),
                ):
                    partner.with_user(user).write(hold)
        customer.invalidate_recordset()
        self.assertFalse(customer.privacy_hold_until)
        customer.with_user(self.officer).write(hold)
        self.assertEqual(contact.privacy_state, "hold")
        # Lifting it is the officer's too.
        with self.assertRaises(AccessError):
            customer.with_user(self.plain_user).privacy_hold_until = False
        # The administrator is a privacy officer.
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "willsoft_privacy.group_privacy_officer"
            )
        )

    def test_plain_user_edits_a_held_customer_and_adds_contacts(self):
        customer, _contact = self.make_customer()
        customer.with_user(self.officer).write(
            {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2099-12-31"}
        )
        # Other edits sync the commercial fields, hold included, to contacts:
        # that is no change of the hold.
        customer.with_user(self.plain_user).write(
            {"privacy_category": "customer", "privacy_relationship_start": "2020-01-01"}
        )
        new_contact = (
            self.env["res.partner"]
            .with_user(self.plain_user)
            .create({"name": "Uusi Henkilö", "parent_id": customer.id})
        )
        self.assertEqual(new_contact.privacy_state, "hold")

    def test_retention_stage_is_not_for_users(self):
        customer, _contact = self.make_customer()
        with self.assertRaises(AccessError):
            customer.with_user(self.privacy_user).privacy_stage = "anonymised"
        self.assertEqual(customer.privacy_stage, "none")

    def test_wizard_is_for_privacy_users(self):
        customer, _contact = self.make_customer()
        with self.assertRaises(AccessError):
            self.env["willsoft.privacy.end.relationship.wizard"].with_user(
                self.plain_user
            ).create({"partner_id": customer.id, "reason": "x"})

    def test_privacy_users_read_requests_only_officers_handle_them(self):
        customer, contact = self.make_customer()
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": contact.id, "kind": "access"})
        )
        as_user = request.with_user(self.privacy_user)
        self.assertEqual(as_user.kind, "access")
        for attempt in (
            lambda: as_user.write({"kind": "erasure"}),
            lambda: as_user.unlink(),
            lambda: (
                self.env["willsoft.privacy.request"]
                .with_user(self.privacy_user)
                .create({"partner_id": customer.id, "kind": "access"})
            ),
        ):
            with self.assertRaises(AccessError):
                attempt()
        self.assertEqual(request.kind, "access")
        self.assertEqual(
            self.env["willsoft.privacy.request"].search_count(
                [("partner_id", "=", customer.id)]
            ),
            0,
        )

    def test_ledgers_open_read_only_for_privacy_staff(self):
        # The audit log, the suppression list and the e-mail confirmations
        # are written by the privacy tools only: their forms open read-only,
        # for the officer too, and no one gets a create or delete button.
        ledgers = {
            "willsoft.privacy.audit.log": (self.privacy_user, self.officer),
            "willsoft.privacy.suppression": (self.privacy_user, self.officer),
            "willsoft.privacy.consent.state": (self.privacy_user, self.officer),
            "willsoft.privacy.email.confirmation": (self.officer,),
        }
        for model, users in ledgers.items():
            for user in users:
                Model = self.env[model].with_user(user)
                with self.subTest(model=model, user=user.login):
                    self.assertTrue(Model.has_access("read"))
                    for operation in ("write", "create", "unlink"):
                        self.assertFalse(Model.has_access(operation), operation)
