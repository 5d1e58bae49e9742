# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

VICTIM = "vera.mailing@lk.example"


@tagged("post_install", "-at_install")
class TestMailingIdentity(TransactionCase):
    """A portal customer who types someone else's address on their account
    neither sees nor erases that person's subscriptions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.newsletter = cls.env["mailing.list"].create(
            {
                "name": "Newsletter",
                "willsoft_privacy_processing_id": cls.marketing.id,
            }
        )
        cls.contact = cls.env["mailing.contact"].create(
            {
                "name": "Vera",
                "email": VICTIM,
                "list_ids": [Command.set(cls.newsletter.ids)],
            }
        )
        cls.attacker = new_test_user(
            cls.env,
            login="id_mail_mallory",
            groups="base.group_portal",
            name="Mallory",
            email="mallory.mail@lk.example",
        )
        cls.partner = cls.attacker.partner_id
        # As /my/account writes it.
        cls.partner.with_user(cls.attacker).sudo().email = VICTIM

    def test_typed_address_finds_no_subscription(self):
        counts = self.env["willsoft.privacy.data.map"]._counts(self.partner)
        self.assertEqual(counts["mailing_contacts"]["found"], 0)
        export = self.env["willsoft.privacy.data.map"]._export(self.partner)
        self.assertEqual(export["mailing_contacts"]["records"], [])
        # Once the address is proven, it is theirs.
        self.partner._privacy_email_prove(VICTIM, "code")
        counts = self.env["willsoft.privacy.data.map"]._counts(self.partner)
        self.assertEqual(counts["mailing_contacts"]["found"], 1)

    def test_withdrawal_leaves_the_others_subscription(self):
        self.env["willsoft.privacy.consent"].with_user(
            self.attacker
        ).sudo()._portal_record(
            self.partner,
            {
                "purpose_id": str(self.marketing.id),
                "channel": "email",
                "action": "withdrawn",
            },
        )
        self.assertTrue(self.contact.exists())
        self.assertIn(self.newsletter, self.contact.list_ids)
        self.assertFalse(self.env["mail.blacklist"].search([("email", "=", VICTIM)]))
