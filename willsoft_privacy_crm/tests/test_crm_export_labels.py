# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import (
    RetentionCommon,
    assert_every_key_labelled,
    render_export,
)


@tagged("post_install", "-at_install")
class TestCrmExportLabels(RetentionCommon):
    def test_leads_read_as_words_in_the_pdf(self):
        _customer, contact, _invoice = self.make_ended_customer("Sanat Oy")
        lead = self.env["crm.lead"].create(
            {
                "name": "Renewal",
                "partner_id": contact.id,
                "type": "opportunity",
                "description": "Wants three seats",
            }
        )
        export = self.data_map._export(contact)
        assert_every_key_labelled(self, export, ("leads",))
        request = self.env["willsoft.privacy.request"].create(
            {"partner_id": contact.id, "kind": "access", "state": "progress"}
        )
        text = render_export(self, request)
        self.assertIn("Wants three seats", text)
        self.assertIn(lead.stage_id.name, text)
        labels, _values = self.data_map._key_labels()
        self.assertIn(labels["leads"]["stage"], text)
        self.assertNotIn(">stage<", text)
