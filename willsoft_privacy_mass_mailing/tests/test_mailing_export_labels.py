# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import (
    EMAIL,
    RetentionCommon,
    assert_every_key_labelled,
    render_export,
)


@tagged("post_install", "-at_install")
class TestMailingExportLabels(RetentionCommon):
    def test_mailing_data_reads_as_words_in_the_pdf(self):
        _customer, contact, _invoice = self.make_ended_customer("Kirje Oy")
        newsletter = self.env["mailing.list"].create({"name": "Newsletter"})
        subscriber = self.env["mailing.contact"].create(
            {"name": "Matti M.", "email": EMAIL, "list_ids": [newsletter.id]}
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Spring offers",
                "body_html": "<p>Offers</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
                "contact_list_ids": [Command.link(newsletter.id)],
            }
        )
        trace = self.env["mailing.trace"].create(
            {
                "mass_mailing_id": mailing.id,
                "model": "mailing.contact",
                "res_id": subscriber.id,
                "email": EMAIL,
                "message_id": "<1.mailing.contact@willsoft.example>",
                "trace_status": "open",
                "sent_datetime": "2024-04-02 08:00:00",
                "open_datetime": "2024-04-02 09:30:00",
            }
        )
        link = self.env["link.tracker"].create(
            {"url": "https://www.willsoft.fi/offers", "title": "Offers"}
        )
        self.env["link.tracker.click"].create(
            {"link_id": link.id, "mailing_trace_id": trace.id}
        )
        export = self.data_map._export(contact)
        assert_every_key_labelled(self, export, ("mailing_contacts", "mailing_traces"))
        request = self.env["willsoft.privacy.request"].create(
            {"partner_id": contact.id, "kind": "access", "state": "progress"}
        )
        text = render_export(self, request)
        self.assertIn("Spring offers", text)
        self.assertIn("https://www.willsoft.fi/offers", text)
        self.assertIn("Newsletter", text)
        self.assertNotIn("[{", text)  # nested rows read as text, not as code
        self.assertNotIn(">links_clicked<", text)
