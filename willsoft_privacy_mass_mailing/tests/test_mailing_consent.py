# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.willsoft_privacy.tests.consent_common import ConsentCommon

OTHER = "other.reader@test.example"


@tagged("post_install", "-at_install")
class TestMailingConsent(ConsentCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpConsent()
        List = cls.env["mailing.list"]
        cls.newsletter = List.create({"name": "Newsletter"})
        cls.offers = List.create({"name": "Offers"})
        cls.events = List.create({"name": "Events"})
        Contact = cls.env["mailing.contact"]
        # The person twice: once from a web form, once imported in capitals.
        cls.subscriber = Contact.create(
            {
                "name": "Liisa Laine",
                "email": cls.person.email,
                "list_ids": [Command.set((cls.newsletter | cls.offers).ids)],
            }
        )
        cls.imported = Contact.create(
            {
                "name": "LAINE Liisa",
                "email": cls.person.email.upper(),
                "list_ids": [Command.set(cls.events.ids)],
            }
        )
        cls.reader = Contact.create(
            {
                "name": "Other Reader",
                "email": OTHER,
                "list_ids": [Command.set((cls.newsletter | cls.events).ids)],
            }
        )

    def make_mailing(self, subject, lists):
        return self.env["mailing.mailing"].create(
            {
                "subject": subject,
                "body_html": "<p>Offers</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
                "contact_list_ids": [Command.set(lists.ids)],
            }
        )

    def sent_to(self, mailing):
        """Addresses a mailing went or goes to, and those it skipped."""
        traces = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id)]
        )
        skipped = traces.filtered(lambda t: t.trace_status == "cancel")
        return set((traces - skipped).mapped("email")), set(skipped.mapped("email"))

    def queue(self, mailing, contact):
        """A mail of a mailing sent in batches, waiting for the mail queue."""
        return self.env["mail.mail"].create(
            {
                "subject": mailing.subject,
                "body_html": mailing.body_html,
                "email_to": contact.email,
                "mailing_id": mailing.id,
                "mailing_trace_ids": [
                    Command.create(
                        {
                            "mass_mailing_id": mailing.id,
                            "model": "mailing.contact",
                            "res_id": contact.id,
                            "email": contact.email_normalized,
                        }
                    )
                ],
            }
        )

    def test_withdrawal_opts_out_of_every_list_at_once(self):
        email = self.person.email_normalized
        self.Consent._record_event(
            self.person, self.marketing, "email", "given", "import"
        )
        subscriptions = (self.subscriber | self.imported).subscription_ids
        self.assertEqual(len(subscriptions), 3)
        self.assertFalse(any(subscriptions.mapped("opt_out")))
        # A mailing already queued when the person withdraws.
        queued = self.make_mailing("Spring offers", self.newsletter)
        mails = self.queue(queued, self.subscriber) | self.queue(queued, self.reader)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertEqual(self.sent_to(queued), ({email, OTHER}, set()))

        self.Consent._withdraw_from_link(
            self.link_params(self.Consent._withdraw_url(self.person, self.marketing))
        )

        self.assertTrue(all(subscriptions.mapped("opt_out")))
        self.assertTrue(all(subscriptions.mapped("opt_out_datetime")))
        self.assertFalse(
            any(self.reader.subscription_ids.mapped("opt_out")),
            "another reader stays subscribed",
        )
        self.assertEqual(self.sent_to(queued), ({OTHER}, {email}))
        self.assertEqual(mails.mapped("state"), ["cancel", "outgoing"])
        # Odoo's own opt-out, whatever happens to the blacklist entry.
        later = self.make_mailing(
            "Summer events", self.newsletter | self.offers | self.events
        )
        self.assertEqual(later._get_opt_out_list(), {email})
        self.env["mail.blacklist"]._remove(email)
        self.assertEqual(later._get_opt_out_list(), {email})
        later.action_send_mail()
        self.assertEqual(self.sent_to(later), ({OTHER}, {email}))
        # The contacts stay until erasure: the opt-out proves the stop.
        self.assertTrue((self.subscriber | self.imported).exists())

    def test_other_channel_and_purpose_leave_lists_alone(self):
        self.Consent._record_event(
            self.person, self.marketing, "sms", "withdrawn", "phone", note="Called."
        )
        subscriptions = (self.subscriber | self.imported).subscription_ids
        self.assertFalse(any(subscriptions.mapped("opt_out")))
