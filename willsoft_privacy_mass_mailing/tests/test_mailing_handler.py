# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import (
    EMAIL,
    OLD_EMAIL,
    RetentionCommon,
)

OTHER = "other.person@example.fi"


@tagged("post_install", "-at_install")
class TestMailingHandler(RetentionCommon):
    def make_mailing(self, subject, mailing_list):
        return self.env["mailing.mailing"].create(
            {
                "subject": subject,
                "body_html": "<p>Offers</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
                "contact_list_ids": [Command.link(mailing_list.id)],
            }
        )

    def make_trace(self, mailing, model, res_id, email, **values):
        return self.env["mailing.trace"].create(
            {
                "mass_mailing_id": mailing.id,
                "model": model,
                "res_id": res_id,
                "email": email,
                "message_id": f"<{res_id}.{model}@willsoft.example>",
                **values,
            }
        )

    def test_contacts_and_traces_are_exported_and_erased(self):
        customer, contact, _invoice = self.make_ended_customer("Posti Oy")
        newsletter = self.env["mailing.list"].create({"name": "Newsletter"})
        events = self.env["mailing.list"].create({"name": "Events"})
        # Signed up by hand, address typed in another form: found normalised.
        subscriber = self.env["mailing.contact"].create(
            {
                "name": "Matti M.",
                "email": f'"Matti M." <{EMAIL.upper()}>',
                "list_ids": [Command.set((newsletter | events).ids)],
            }
        )
        other = self.env["mailing.contact"].create(
            {"name": "Other Person", "email": OTHER, "list_ids": [newsletter.id]}
        )
        mailing = self.make_mailing("Spring offers", newsletter)
        opened = self.make_trace(
            mailing,
            "mailing.contact",
            subscriber.id,
            EMAIL,
            trace_status="open",
            sent_datetime="2024-04-02 08:00:00",
            open_datetime="2024-04-02 09:30:00",
        )
        link = self.env["link.tracker"].create(
            {"url": "https://www.willsoft.fi/offers", "title": "Offers"}
        )
        click = self.env["link.tracker.click"].create(
            {"link_id": link.id, "mailing_trace_id": opened.id, "ip": "192.0.2.44"}
        )
        # A mailing to partners, sent while the person had their old address:
        # found by the partner it went to.
        to_partner = self.make_trace(
            self.make_mailing("Price list", newsletter),
            "res.partner",
            contact.id,
            OLD_EMAIL,
            trace_status="sent",
        )
        others_trace = self.make_trace(
            mailing, "mailing.contact", other.id, OTHER, trace_status="open"
        )

        export = self.data_map._export(contact)
        self.assertEqual(json.loads(json.dumps(export)), export)
        rows = export["mailing_contacts"]["records"]
        self.assertEqual([row["id"] for row in rows], [subscriber.id])
        self.assertEqual(
            sorted(s["list"] for s in rows[0]["subscriptions"]),
            ["Events", "Newsletter"],
        )
        traces = {row["id"]: row for row in export["mailing_traces"]["records"]}
        self.assertEqual(set(traces), {opened.id, to_partner.id})
        self.assertEqual(traces[opened.id]["mailing"], "Spring offers")
        self.assertEqual(traces[opened.id]["opened"], "2024-04-02 09:30:00")
        self.assertEqual(
            traces[opened.id]["links_clicked"], ["https://www.willsoft.fi/offers"]
        )
        self.assertEqual(
            self.data_map._counts(contact)["mailing_contacts"],
            {"found": 1, "held": 0},
        )

        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        self.assertFalse(subscriber.exists())
        self.assertFalse(
            self.env["mailing.subscription"].search([("list_id", "=", events.id)]),
            "the person's subscriptions go with their contact",
        )
        self.assertFalse((opened | to_partner).exists())
        self.assertEqual(mailing.opened, 1, "the other reader's open still counts")
        self.assertTrue(click.exists(), "the link keeps its click count")
        self.assertFalse(click.ip)
        # Another person's data stays as it was.
        self.assertTrue(other.exists())
        self.assertEqual(other.list_ids, newsletter)
        self.assertEqual((others_trace.email, others_trace.res_id), (OTHER, other.id))
        self.assertEqual(self.retention_logs("check").result, "ok")
        export = self.data_map._export(customer)
        self.assertFalse(export["mailing_contacts"]["records"])
        self.assertFalse(export["mailing_traces"]["records"])
