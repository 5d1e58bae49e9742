# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import (
    OLD_EMAIL,
    RetentionCommon,
)


@tagged("post_install", "-at_install")
class TestMailingFormerAddress(RetentionCommon):
    """The person changed their email address; a mailing contact and a trace
    still carry the old one, with no link to the partner."""

    def test_mailing_data_under_the_old_address(self):
        customer, contact, _invoice = self.make_ended_customer("Osoite Oy")
        newsletter = self.env["mailing.list"].create({"name": "Newsletter"})
        subscriber = self.env["mailing.contact"].create(
            {
                "name": "Matti",
                "email": OLD_EMAIL,
                "list_ids": [Command.set(newsletter.ids)],
            }
        )
        stranger = self.env["mailing.contact"].create(
            {"name": "Someone", "email": "someone@example.fi"}
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Autumn offers",
                "body_html": "<p>Offers</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
                "contact_list_ids": [Command.link(newsletter.id)],
            }
        )
        trace = self.env["mailing.trace"].create(
            {
                "mass_mailing_id": mailing.id,
                "model": "mailing.contact",
                "res_id": stranger.id,
                "email": OLD_EMAIL,
                "message_id": "<old.address@willsoft.example>",
            }
        )
        export = self.data_map._export(contact)
        self.assertEqual(
            [r["id"] for r in export["mailing_contacts"]["records"]], subscriber.ids
        )
        self.assertEqual(
            [r["id"] for r in export["mailing_traces"]["records"]], trace.ids
        )
        with freeze_time("2025-06-29"):
            self.engine._cron_privacy_retention()
        self.assertTrue(subscriber.exists())
        with freeze_time("2025-06-30"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        self.assertFalse(subscriber.exists() or trace.exists())
        self.assertTrue(stranger.exists())
        self.assertEqual(self.retention_logs("check").result, "ok")
        # The old address is on the suppression list too.
        self.assertTrue(
            self.env["willsoft.privacy.suppression"]._is_suppressed([OLD_EMAIL])
        )

    def test_mailing_data_under_an_erased_address(self):
        """An address erased earlier (a lead's, say) still has a mailing
        contact from before; a new sign-up after the erasure stays."""
        Contact = self.env["mailing.contact"]
        left = Contact.create({"name": "Liisa", "email": "liisa@example.fi"})
        returned = Contact.create({"name": "Pekka", "email": "pekka@example.fi"})
        kept = Contact.create({"name": "Kalle", "email": "kalle@example.fi"})
        self.env["willsoft.privacy.suppression"]._suppress(
            ["liisa@example.fi", "pekka@example.fi"]
        )
        self.env.flush_all()
        # The database stamps every record of the test with one time: set
        # the story's times.
        self.env.cr.execute(
            "UPDATE willsoft_privacy_suppression SET create_date = '2025-03-01'"
        )
        self.env.cr.execute(
            "UPDATE mailing_contact SET create_date = %s WHERE id = %s",
            ("2025-01-01", left.id),
        )
        self.env.cr.execute(
            "UPDATE mailing_contact SET create_date = %s WHERE id = %s",
            ("2025-04-01", returned.id),
        )
        self.env.invalidate_all()
        with freeze_time("2025-04-02"):
            self.engine._cron_privacy_retention()
        self.assertFalse(left.exists())
        self.assertTrue(returned.exists())
        self.assertTrue(kept.exists())
        run = self.log.search(
            [("event", "=", "run"), ("message", "=like", "Mailing data under%")]
        )
        self.assertEqual(run.counts, {"mailing_contacts": 1, "mailing_traces": 0})
