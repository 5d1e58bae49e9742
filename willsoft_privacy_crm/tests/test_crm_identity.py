# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user, tagged

VICTIM = "vera.lead@lk.example"


@tagged("post_install", "-at_install")
class TestCrmIdentity(TransactionCase):
    """Leads are found by the address a person proved, not one they typed."""

    def test_typed_address_finds_no_lead(self):
        lead = self.env["crm.lead"].create(
            {"name": "Vera's enquiry", "email_from": VICTIM, "contact_name": "Vera"}
        )
        attacker = new_test_user(
            self.env,
            login="id_crm_mallory",
            groups="base.group_portal",
            name="Mallory",
            email="mallory.crm@lk.example",
        )
        partner = attacker.partner_id
        partner.with_user(attacker).sudo().email = VICTIM
        data_map = self.env["willsoft.privacy.data.map"]
        self.assertEqual(data_map._counts(partner)["leads"]["found"], 0)
        self.assertEqual(data_map._export(partner)["leads"]["records"], [])
        partner._privacy_email_prove(VICTIM, "code")
        self.assertEqual(
            [row["id"] for row in data_map._export(partner)["leads"]["records"]],
            [lead.id],
        )
