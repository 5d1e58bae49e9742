# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import (
    RetentionCommon,
    assert_every_key_labelled,
    render_export,
)

from . import test_website_handler


@tagged("post_install", "-at_install")
class TestWebsiteExportLabels(RetentionCommon):
    # The visitor as core records it, made as the handler's tests make it.
    make_visitor = test_website_handler.TestWebsiteHandler.__dict__["make_visitor"]

    def test_visits_read_as_words_in_the_pdf(self):
        _customer, contact = self.make_customer("Sivut Oy")
        self.make_visitor(str(contact.id), ["/contactus"])
        export = self.data_map._export(contact)
        assert_every_key_labelled(self, export, ("page_views", "visitors"))
        request = self.env["willsoft.privacy.request"].create(
            {"partner_id": contact.id, "kind": "access", "state": "progress"}
        )
        text = render_export(self, request)
        self.assertIn("/contactus", text)
        self.assertIn("Europe/Helsinki", text)
        # The visitor's language by name, not by code.
        self.assertIn("English (US)", text)
        self.assertNotIn(">first_visit<", text)
