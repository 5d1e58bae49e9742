# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import (
    EMAIL,
    RetentionCommon,
)


@tagged("post_install", "-at_install")
class TestCrmHandler(RetentionCommon):
    def test_leads_are_exported_and_erased(self):
        customer, contact, _invoice = self.make_ended_customer("Liidi Oy")
        linked = self.env["crm.lead"].create(
            {"name": "Renewal", "partner_id": contact.id, "type": "opportunity"}
        )
        # From a web form, never linked to the partner.
        unlinked = self.env["crm.lead"].create(
            {"name": "Web enquiry", "email_from": EMAIL, "contact_name": "Matti"}
        )
        other = self.env["crm.lead"].create(
            {"name": "Someone else", "email_from": "other@example.fi"}
        )
        export = self.data_map._export(contact)
        self.assertEqual(
            {row["id"] for row in export["leads"]["records"]},
            {linked.id, unlinked.id},
        )
        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        self.assertFalse((linked | unlinked).exists())
        self.assertTrue(other.exists())
        self.assertEqual(self.retention_logs("check").result, "ok")
