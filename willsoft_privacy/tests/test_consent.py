# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import ConsentCommon, tampered


@tagged("post_install", "-at_install")
class TestConsent(ConsentCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpConsent()

    @contextmanager
    def assertRaisesRegex(self, exception, regex):  # noqa: N802 (unittest's name)
        # Odoo's assertRaises rolls the refused change back.
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    def _blacklisted(self, partner):
        return bool(
            self.env["mail.blacklist"].search(
                [("email", "=", partner.email_normalized)]
            )
        )

    def test_phone_consent_needs_a_note_and_is_proven(self):
        wizard = Form(
            self.env["willsoft.privacy.consent.wizard"]
            .with_user(self.privacy_user)
            .with_context(default_partner_id=self.person.id)
        )
        wizard.processing_id = self.marketing
        wizard.channel = "email"
        self.assertIn("news and offers", wizard.text_shown)
        with self.assertRaisesRegex(AssertionError, "note"):
            wizard.save()
        wizard.note = "Called 3.3. at 10:15, asked for our newsletter."
        wizard.save().action_record()

        event = self.person.privacy_consent_event_ids
        self.assertEqual(len(event), 1)
        self.assertEqual(
            (event.action, event.source, event.channel, event.user_id),
            ("given", "phone", "email", self.privacy_user),
        )
        self.assertEqual(event.note, "Called 3.3. at 10:15, asked for our newsletter.")
        self.assertIn("news and offers", event.text_shown)
        self.assertEqual(event.notice_id, self.notice)
        state = self.person.privacy_consent_state_ids
        self.assertEqual(
            (state.processing_id, state.channel, state.state),
            (self.marketing, "email", "given"),
        )
        self.assertEqual(
            self.Consent._state(self.person, self.marketing, "email"), "given"
        )

    def test_phone_source_without_note_refused_by_the_model(self):
        with self.assertRaisesRegex(ValidationError, "note on the phone call"):
            self.Consent._record_event(
                self.person, self.marketing, "phone", "given", "phone", note="  "
            )
        self.assertFalse(self.person.privacy_consent_event_ids)

    def test_only_consent_purposes_in_the_ledger(self):
        with self.assertRaisesRegex(ValidationError, "not based on consent"):
            self.Consent._record_event(
                self.person, self.invoicing, "email", "given", "import"
            )

    def test_ledger_is_append_only_for_everyone(self):
        event = self.Consent._record_event(
            self.person, self.marketing, "email", "given", "import"
        )
        admin = self.env.ref("base.user_admin")
        for env in (
            self.env(user=self.officer),
            self.env(user=admin),
            self.env(su=True),
        ):
            line = event.with_env(env)
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                line.write({"action": "withdrawn"})
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                line.unlink()
        with self.assertRaises(UserError):
            event.with_user(self.privacy_user).unlink()
        with self.assertRaises(AccessError):
            self.Event.with_user(self.env.ref("base.public_user")).browse(
                event.id
            ).read(["action"])
        self.assertEqual(event.action, "given")
        self.assertTrue(event.exists())

    def test_state_is_the_latest_event_per_channel(self):
        self.Consent._record_event(
            self.person, self.marketing, "email", "given", "import"
        )
        self.Consent._record_event(
            self.person, self.marketing, "sms", "given", "import"
        )
        self.Consent._record_event(
            self.person, self.marketing, "sms", "withdrawn", "phone", note="Called."
        )
        self.assertTrue(
            self.env["phone.blacklist"].search([("number", "=", self.person.phone)])
        )
        states = {s.channel: s.state for s in self.person.privacy_consent_state_ids}
        self.assertEqual(states, {"email": "given", "sms": "withdrawn"})
        self.assertEqual(len(self.person.privacy_consent_event_ids), 3)

    def test_withdrawal_stops_consent_based_sending_at_once(self):
        self.Consent._record_event(
            self.person, self.marketing, "email", "given", "import"
        )
        newsletter = self.purpose_mail(self.marketing, "Spring offers")
        bulletin = self.purpose_mail(
            self.env.ref("willsoft_privacy.processing_bulletins"),
            "Service break on Sunday",
        )
        self.assertFalse(self._blacklisted(self.person))

        params = self.link_params(
            self.Consent._withdraw_url(self.person, self.marketing)
        )
        self.Consent._withdraw_from_link(
            params, ip_address="192.0.2.10", user_agent="Mail client"
        )
        self.assertTrue(self._blacklisted(self.person))
        self.assertFalse(
            newsletter.exists(), "a mail sent on the consent is erased with it"
        )
        self.assertEqual(bulletin.state, "outgoing", "contract-based mail still goes")
        log = self.env["willsoft.privacy.audit.log"].search(
            [("event", "=", "consent"), ("partner_ref", "=", self.person.id)]
        )
        self.assertEqual(
            log.counts, {"blacklist": 1, "cancelled_mails": 1, "consent_mails": 1}
        )
        self.assertEqual(
            self.Consent._state(self.person, self.marketing, "email"), "withdrawn"
        )
        event = self.person.privacy_consent_event_ids[0]
        self.assertEqual(
            (event.action, event.source, event.ip_address, event.user_agent),
            ("withdrawn", "email_link", "192.0.2.10", "Mail client"),
        )

        # Consent given again (confirmed) lifts the stop.
        self.Consent._record_event(
            self.person, self.marketing, "email", "given", "portal"
        )
        self.assertFalse(self._blacklisted(self.person))

    def test_double_opt_in_sends_an_expiring_link(self):
        self.env["ir.config_parameter"].set_param(
            "willsoft_privacy.consent_confirm_hours", "2"
        )
        before = self.consent_mails(self.person)
        self.Consent._request_email_consent(
            self.person,
            self.marketing,
            "public_form",
            ip_address="198.51.100.7",
            user_agent="Firefox",
        )
        mail = self.consent_mails(self.person) - before
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "Confirm your subscription")
        self.assertIn("/privacy/consent/confirm?", mail.body_html)
        self.assertIn("valid for 2 hours", mail.body_html)
        # Asked, not given: nothing may be sent on it yet.
        self.assertFalse(self.Consent._state(self.person, self.marketing, "email"))
        requested = self.person.privacy_consent_event_ids
        self.assertEqual(
            (requested.action, requested.ip_address, requested.user_agent),
            ("requested", "198.51.100.7", "Firefox"),
        )

        url = self.Consent._confirm_url(self.person, self.marketing)
        params = self.link_params(url)
        self.assertAlmostEqual(int(params["expiry"]), time.time() + 7200, delta=60)
        self.Consent._confirm_from_link(
            params, ip_address="198.51.100.8", user_agent="Phone"
        )
        self.assertEqual(
            self.Consent._state(self.person, self.marketing, "email"), "given"
        )
        given = self.person.privacy_consent_event_ids[0]
        self.assertEqual(given.text_shown, requested.text_shown)
        self.assertEqual(given.notice_id, self.notice)

    def test_tampered_and_expired_links_change_nothing(self):
        self.Consent._request_email_consent(self.person, self.marketing, "public_form")
        good = self.link_params(self.Consent._confirm_url(self.person, self.marketing))
        other = self.env["res.partner"].create(
            {"name": "Other", "email": "o@example.fi"}
        )
        expired = self.Consent._link_params(
            "confirm", self.person, self.marketing, expiry=int(time.time()) - 1
        )
        withdraw = self.link_params(
            self.Consent._withdraw_url(self.person, self.marketing)
        )
        cases = [
            ({**good, "token": tampered(good["token"])}, "not valid"),
            ({**good, "partner_id": str(other.id)}, "not valid"),
            ({**good, "expiry": str(int(good["expiry"]) + 86400)}, "not valid"),
            ({**good, "token": ""}, "not valid"),
            ({**good, "partner_id": "x"}, "not valid"),
            (expired, "expired"),
            (withdraw, "not valid"),  # a withdrawal link does not confirm
        ]
        count = len(self.Event.search([]))
        for params, error in cases:
            with self.assertRaisesRegex(UserError, error):
                self.Consent._confirm_from_link(params)
        with self.assertRaisesRegex(UserError, "not valid"):
            self.Consent._withdraw_from_link(
                {**withdraw, "purpose_id": str(self.invoicing.id)}
            )
        self.assertEqual(len(self.Event.search([])), count)
        self.assertFalse(self.Consent._state(self.person, self.marketing, "email"))
        self.assertFalse(self._blacklisted(self.person))

    def test_withdraw_link_helper_for_consent_based_emails(self):
        html = self.env["ir.qweb"]._render(
            "willsoft_privacy.consent_withdraw_link",
            {"partner": self.person, "purpose": self.marketing},
        )
        self.assertIn("/privacy/consent/withdraw?", html)
        self.assertIn("Withdraw your consent", html)
        self.assertIn(f"partner_id={self.person.id}", html)

    def test_partner_form_shows_consents_to_privacy_users(self):
        self.Consent._record_event(
            self.person, self.marketing, "email", "given", "import"
        )
        partner_form = Form(self.person.with_user(self.privacy_user))
        self.assertEqual(len(partner_form.privacy_consent_state_ids), 1)
        arch = (
            self.env["res.partner"]
            .with_user(self.privacy_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="action_privacy_record_consent"', arch)

    def test_purpose_with_consents_is_archived_not_deleted(self):
        self.Consent._record_event(
            self.person, self.marketing, "email", "given", "import"
        )
        with self.assertRaisesRegex(UserError, "archive the purpose"):
            self.marketing.with_user(self.officer).unlink()
        self.assertTrue(self.person.privacy_consent_event_ids)

    def test_confirmation_link_validity_is_a_setting(self):
        Settings = self.env["res.config.settings"]
        self.assertEqual(Settings.create({}).privacy_consent_confirm_hours, 72)
        Settings.create({"privacy_consent_confirm_hours": 5}).execute()
        url = self.Consent._confirm_url(self.person, self.marketing)
        expiry = int(self.link_params(url)["expiry"])
        self.assertAlmostEqual(expiry, time.time() + 5 * 3600, delta=60)
        for hours in (0, 721):
            with self.assertRaisesRegex(ValidationError, "1 to 720 hours"):
                Settings.create({"privacy_consent_confirm_hours": hours})
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(
                "willsoft_privacy.consent_confirm_hours"
            ),
            "5",
        )
