# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.willsoft_privacy.tests.common import ConsentCommon

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
        # Events are invited to on a consent of their own.
        cls.invitations = cls.env["willsoft.privacy.processing"].create(
            {
                "name": "Event invitations",
                "legal_basis": "consent",
                "retention_rule": "consent",
                "consent_text": "Invite me to Willsoft's customer events.",
            }
        )
        cls.events = List.create(
            {"name": "Events", "willsoft_privacy_processing_id": cls.invitations.id}
        )
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

    def sent_trace(self, mailing, contact, opened=True):
        """What a mailing sent earlier recorded: sent, opened, a link clicked."""
        trace = self.env["mailing.trace"].create(
            {
                "mass_mailing_id": mailing.id,
                "model": "mailing.contact",
                "res_id": contact.id,
                "email": contact.email_normalized,
                "trace_status": "open" if opened else "sent",
            }
        )
        link = self.env["link.tracker"].search(
            [("url", "=", "https://www.willsoft.fi/offers")]
        ) or self.env["link.tracker"].create(
            {"url": "https://www.willsoft.fi/offers", "title": "Offers"}
        )
        click = self.env["link.tracker.click"].create(
            {
                "link_id": link.id,
                "mailing_trace_id": trace.id,
                "mass_mailing_id": mailing.id,
                "ip": "192.0.2.44",
            }
        )
        return trace, click

    def test_withdrawal_erases_what_the_consent_holds_and_stops_mailings(self):
        email = self.person.email_normalized
        self.Consent._record_event(
            self.person, self.marketing, "email", "given", "import"
        )
        self.assertEqual(
            (self.newsletter | self.offers).willsoft_privacy_processing_id,
            self.marketing,
            "email marketing lists are held on the marketing consent",
        )
        earlier = self.make_mailing("Winter offers", self.newsletter)
        self.assertEqual(earlier.willsoft_privacy_processing_id, self.marketing)
        trace, click = self.sent_trace(earlier, self.subscriber)
        other_trace, _click = self.sent_trace(earlier, self.reader)
        # A mailing already queued when the person withdraws.
        queued = self.make_mailing("Spring offers", self.newsletter)
        mails = self.queue(queued, self.subscriber) | self.queue(queued, self.reader)
        self.assertEqual(self.sent_to(queued), ({email, OTHER}, set()))

        self.Consent._withdraw_from_link(
            self.link_params(self.Consent._withdraw_url(self.person, self.marketing))
        )

        # Erased: the subscriptions to the marketing lists, the contact left
        # on no list, what the mailings recorded, the queued mail.
        self.assertFalse(self.subscriber.exists())
        self.assertFalse(trace.exists())
        self.assertFalse(click.ip, "the click stays for the link's count, no IP")
        self.assertFalse(mails[0].exists())
        self.assertEqual(self.sent_to(queued), ({OTHER}, set()))
        self.assertEqual(mails[1].state, "outgoing", "another reader still gets it")
        self.assertTrue(other_trace.exists())
        self.assertEqual(
            self.reader.list_ids, self.newsletter | self.events, "others untouched"
        )
        # What another purpose holds stays.
        self.assertEqual(self.imported.list_ids, self.events)
        log = self.env["willsoft.privacy.audit.log"].search(
            [("event", "=", "consent"), ("partner_ref", "=", self.person.id)]
        )
        self.assertEqual(
            log.counts,
            {
                "blacklist": 1,
                "cancelled_mailings": 1,
                "mailing_traces": 2,
                "mailing_subscriptions": 2,
                "mailing_contacts": 1,
            },
        )
        # The ledger decides who gets a marketing mailing, whatever becomes
        # of the blacklist entry: the events list still holds the address.
        self.assertEqual(self.events.willsoft_privacy_processing_id, self.invitations)
        later = self.make_mailing(
            "Summer events", self.newsletter | self.offers | self.events
        )
        self.assertEqual(later.willsoft_privacy_processing_id, self.marketing)
        self.env["mail.blacklist"]._remove(email)
        self.assertIn(email, later._get_opt_out_list())
        later.action_send_mail()
        self.assertEqual(self.sent_to(later), ({OTHER}, {email}))

    def test_list_of_another_purpose_keeps_its_subscribers(self):
        mailing = self.make_mailing("Autumn seminar", self.events)
        self.assertEqual(mailing.willsoft_privacy_processing_id, self.invitations)
        self.Consent._record_event(
            self.person, self.marketing, "email", "withdrawn", "portal"
        )
        self.assertEqual(self.imported.list_ids, self.events)
        self.assertNotIn(
            self.person.email_normalized,
            mailing._get_opt_out_list(),
            "the ledger stops only the withdrawn purpose",
        )

    def test_other_channel_and_purpose_leave_lists_alone(self):
        self.Consent._record_event(
            self.person, self.marketing, "sms", "withdrawn", "phone", note="Called."
        )
        subscriptions = (self.subscriber | self.imported).subscription_ids
        self.assertEqual(len(subscriptions), 3)
        self.assertFalse(any(subscriptions.mapped("opt_out")))

    def test_stage1_keeps_the_subscriptions_of_a_given_consent(self):
        """A customer's basic data goes at stage 1; its subscriptions to the
        lists of the purpose it consents to, with their traces, stay until
        it withdraws the consent (notice, section 10)."""
        self.Consent._record_event(
            self.person, self.marketing, "email", "given", "import"
        )
        self.person.write(
            {"privacy_category": "customer", "privacy_relationship_start": "2024-01-01"}
        )
        offers = self.make_mailing("Winter offers", self.newsletter)
        seminar = self.make_mailing("Autumn seminar", self.events)
        kept_trace, _click = self.sent_trace(offers, self.subscriber)
        gone_trace, _click = self.sent_trace(seminar, self.imported)
        Retention = self.env["willsoft.privacy.retention"]

        Retention._process(self.person, "stage1")

        self.assertEqual(self.person.privacy_stage, "anonymised")
        self.assertEqual(self.person.email_normalized, "liisa.laine@test.example")
        self.assertFalse(self.person.phone)
        self.assertEqual(self.subscriber.list_ids, self.newsletter | self.offers)
        self.assertTrue(kept_trace.exists())
        # What no consent given holds goes: the events list's contact, the
        # trace of its mailing.
        self.assertFalse(self.imported.exists())
        self.assertFalse(gone_trace.exists())
        self.assertEqual(self.reader.list_ids, self.newsletter | self.events)
        check = self.env["willsoft.privacy.audit.log"].search(
            [("event", "=", "check"), ("partner_ref", "=", self.person.id)]
        )
        self.assertEqual(check.result, "ok", check.counts)

        # Withdrawn, the consent keeps nothing.
        self.Consent._record_event(
            self.person, self.marketing, "email", "withdrawn", "portal"
        )
        self.assertFalse(self.subscriber.exists())
        self.assertFalse(kept_trace.exists())
        self.assertFalse(self.person.email)
        self.assertEqual(self.person.name, "Anonymised")
        check = self.env["willsoft.privacy.audit.log"].search(
            [("event", "=", "check"), ("partner_ref", "=", self.person.id)],
            order="id desc",
            limit=1,
        )
        self.assertEqual(check.result, "ok", check.counts)
