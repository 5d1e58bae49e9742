# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from .common import ConsentCommon

SUBSCRIBER = "matti.meikalainen@test.example"


@tagged("post_install", "-at_install")
class TestConsentWithdrawal(ConsentCommon, TransactionCase):
    """Notice, section 10: communication data processed on consent is kept
    until the person withdraws it; then it goes, and only the stop and its
    proof remain."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpConsent()
        cls.Log = cls.env["willsoft.privacy.audit.log"]

    def subscribe(self):
        """A sign-up on the public form, confirmed from the email."""
        event = self.Consent._subscribe_from_form(
            self.marketing,
            "Matti Meikäläinen",
            SUBSCRIBER,
            lang="en_US",
            ip_address="203.0.113.5",
            user_agent="Firefox",
        )
        partner = event.partner_id
        self.Consent._confirm_from_link(
            self.link_params(self.Consent._confirm_url(partner, self.marketing)),
            ip_address="203.0.113.5",
        )
        self.assertEqual(self.Consent._state(partner, self.marketing, "email"), "given")
        return partner

    def withdraw(self, partner):
        self.Consent._withdraw_from_link(
            self.link_params(self.Consent._withdraw_url(partner, self.marketing)),
            ip_address="203.0.113.9",
        )

    def logged(self, partner):
        return self.Log.search([("partner_ref", "=", partner.id)], order="id").mapped(
            "event"
        )

    def test_subscriber_with_us_only_on_consent_is_erased(self):
        partner = self.subscribe()
        self.assertTrue(partner.privacy_consent_only)
        confirmation = self.consent_mails(partner)
        self.assertEqual(confirmation.subject, "Confirm your subscription")

        self.withdraw(partner)

        self.assertFalse(confirmation.exists(), "the confirmation mail is erased")
        self.assertEqual(partner.privacy_stage, "anonymised")
        self.assertNotIn("Matti", partner.name)
        self.assertFalse(partner.email)
        self.assertEqual(self.logged(partner), ["consent", "erasure", "check"])
        check = self.Log.search(
            [("partner_ref", "=", partner.id), ("event", "=", "check")]
        )
        self.assertEqual(check.result, "ok", check.counts)
        # The stop remains: the blacklist (so that nothing is sent to the
        # address again), the keyed hash, and the ledger's lines without the
        # proof that would name the person.
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", SUBSCRIBER)]))
        self.assertEqual(
            self.env["willsoft.privacy.suppression"]._is_suppressed([SUBSCRIBER]),
            {SUBSCRIBER},
        )
        self.assertEqual(
            partner.privacy_consent_event_ids.mapped("action"),
            ["withdrawn", "given", "requested"],
        )
        self.assertFalse(any(partner.privacy_consent_event_ids.mapped("ip_address")))
        # The link still answers, and changes nothing more.
        self.withdraw(partner)
        self.assertEqual(partner.privacy_stage, "anonymised")

    def test_subscriber_who_became_a_customer_is_kept(self):
        partner = self.subscribe()
        partner.write(
            {"privacy_category": "customer", "privacy_relationship_start": "2026-01-01"}
        )
        self.withdraw(partner)
        self.assertEqual(partner.privacy_stage, "none")
        self.assertEqual(partner.email, SUBSCRIBER)
        self.assertFalse(self.consent_mails(partner), "the consent's mails go")
        self.assertEqual(self.logged(partner), ["consent"])

    def test_subscriber_with_other_data_or_consent_is_kept(self):
        partner = self.subscribe()
        # Staff wrote a note about them: they are with us on more than consent.
        partner.message_post(body="Asked for a quote by phone.")
        self.Consent._record_event(
            partner, self.marketing, "sms", "given", "phone", note="Called."
        )
        self.withdraw(partner)
        self.assertEqual(partner.privacy_stage, "none", "SMS consent still given")
        self.Consent._record_event(
            partner, self.marketing, "sms", "withdrawn", "phone", note="Called."
        )
        self.assertEqual(partner.privacy_stage, "none", "the note keeps them")
        self.assertTrue(partner.message_ids.filtered(lambda m: "quote" in m.body))

    def test_legal_hold_keeps_the_data_but_stops_the_sending(self):
        partner = self.subscribe()
        partner.with_user(self.officer).write(
            {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2099-12-31"}
        )
        confirmation = self.consent_mails(partner)
        self.withdraw(partner)
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", SUBSCRIBER)]))
        self.assertTrue(confirmation.exists(), "a legal hold keeps the data")
        self.assertEqual(partner.privacy_stage, "none")
        log = self.Log.search(
            [("partner_ref", "=", partner.id), ("event", "=", "consent")]
        )
        self.assertIn("legal hold", log.message)

    def test_other_purposes_mails_and_channels_stay(self):
        self.Consent._record_event(
            self.person, self.marketing, "email", "given", "import"
        )
        bulletins = self.env.ref("willsoft_privacy.processing_bulletins")
        bulletin = self.purpose_mail(bulletins, "Service break on Sunday", "sent")
        offer = self.purpose_mail(self.marketing, "Offers", "sent")
        self.Consent._record_event(
            self.person, self.marketing, "sms", "withdrawn", "phone", note="Called."
        )
        self.assertTrue(offer.exists(), "an SMS withdrawal leaves emails")
        self.withdraw(self.person)
        self.assertFalse(offer.exists())
        self.assertTrue(bulletin.exists(), "contract-based mail is not consent data")
        self.assertEqual(self.person.email, "liisa.laine@test.example")

    def test_subscriber_who_made_a_request_follows_the_prospect_clock(self):
        partner = self.subscribe()
        self.env["willsoft.privacy.request"].create(
            {"partner_id": partner.id, "kind": "access", "channel": "email"}
        )
        self.withdraw(partner)
        self.assertEqual(partner.privacy_stage, "none", "they dealt with us")
        # My privacy counts what the personal-data map finds.
        holdings = self.env["willsoft.privacy.request"]._portal_holdings
        self.assertEqual(
            dict(holdings(partner)[2]["items"]),
            {
                # The request's acknowledgement (its mail still queued), and
                # the person following it.
                "Queued e-mails": 1,
                "Messages and notes": 1,
                "Followers": 1,
                "Consents and their proof": 3,
                "Privacy requests": 1,
            },
        )
        self.assertGreater(
            partner.privacy_anonymise_date,
            partner.privacy_last_contact_date,
            "anonymised when the period without contact has passed",
        )

    def test_given_consent_keeps_a_potential_customer_past_the_period(self):
        Retention = self.env["willsoft.privacy.retention"]
        self.person.privacy_last_contact_date = "2015-01-01"
        self.assertIn(self.person, Retention._due_partners("stage1"))
        self.Consent._record_event(
            self.person, self.marketing, "email", "given", "import"
        )
        self.assertNotIn(
            self.person,
            Retention._due_partners("stage1"),
            "kept until the consent is withdrawn (notice, section 10)",
        )
        self.withdraw(self.person)
        self.assertIn(self.person, Retention._due_partners("stage1"))
