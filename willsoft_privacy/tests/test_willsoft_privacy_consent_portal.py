# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import PortalPages

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) WillsoftTest/1.0"


@tagged("post_install", "-at_install")
class TestPrivacyConsentPortal(PortalPages, HttpCase, MockEmail):
    """Consents on the My privacy page: the person from the session, the
    proof in the ledger, the effect of a withdrawal at once; and the notice
    version every request records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["willsoft.privacy.consent.event"]
        cls.Consent = cls.env["willsoft.privacy.consent"]
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.invoicing = cls.env.ref("willsoft_privacy.processing_invoicing")
        cls.original = cls.env.ref("willsoft_privacy.notice_2018")
        draft = cls.env["willsoft.privacy.notice"].browse(
            cls.original.action_new_version()["res_id"]
        )
        draft.action_publish()
        cls.notice = draft
        cls.aino = new_test_user(
            cls.env,
            login="consent_aino",
            password="consent_aino_pw",
            groups="base.group_portal",
            name="Aino Consent",
            email="aino.consent@lk.example",
        )
        cls.ville = new_test_user(
            cls.env,
            login="consent_ville",
            password="consent_ville_pw",
            groups="base.group_portal",
            name="Ville Consent",
            email="ville.consent@lk.example",
        )
        cls.officer = new_test_user(
            cls.env,
            login="consent_portal_officer",
            groups="base.group_user,willsoft_privacy.group_privacy_officer",
        )
        cls.Consent._record_event(
            cls.aino.partner_id, cls.marketing, "email", "given", "import"
        )

    def post_consent(self, data, csrf=True):
        if csrf:
            data = {"csrf_token": self.csrf(), **data}
        return self.url_open(
            "/my/privacy/consent",
            data=data,
            headers={"User-Agent": BROWSER},
            allow_redirects=False,
        )

    def events(self, partner):
        return self.Event.search([("partner_id", "=", partner.id)])

    def blacklisted(self, partner):
        return bool(
            self.env["mail.blacklist"].search(
                [("email", "=", partner.email_normalized)]
            )
        )

    def test_portal_user_sees_their_consents(self):
        self.authenticate("consent_aino", "consent_aino_pw")
        page = self.url_open("/my/privacy").text
        self.assertIn("Your consents", page)
        self.assertIn(self.marketing.name, page)
        self.assertNotIn(self.invoicing.name + "</h6>", page)
        email_row = re.search(
            rf'data-purpose="{self.marketing.id}" data-channel="email".*?</form>',
            page,
            re.S,
        ).group(0)
        self.assertIn("Given", email_row)
        self.assertIn('value="withdrawn"', email_row)
        sms_row = re.search(
            rf'data-purpose="{self.marketing.id}" data-channel="sms".*?</form>',
            page,
            re.S,
        ).group(0)
        self.assertIn("Not given", sms_row)
        self.assertIn('value="given"', sms_row)
        # Ville has given nothing: his page offers only Give.
        self.authenticate("consent_ville", "consent_ville_pw")
        page = self.url_open("/my/privacy").text
        self.assertNotIn('value="withdrawn"', page)

    def test_withdraw_in_portal_records_proof_and_blacklists_at_once(self):
        partner = self.aino.partner_id
        self.assertFalse(self.blacklisted(partner))
        self.authenticate("consent_aino", "consent_aino_pw")
        response = self.post_consent(
            {
                "purpose_id": self.marketing.id,
                "channel": "email",
                "action": "withdrawn",
                "notice_id": self.notice.id,
            }
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn(
            "/my/privacy?consent_done=withdrawn", response.headers["Location"]
        )
        event = self.events(partner)[0]
        self.assertEqual(
            (event.action, event.source, event.channel, event.processing_id),
            ("withdrawn", "portal", "email", self.marketing),
        )
        self.assertEqual(event.ip_address, "127.0.0.1")
        self.assertEqual(event.user_agent, BROWSER)
        self.assertEqual(event.notice_id, self.notice)
        self.assertEqual(event.text_shown, "Withdraw my consent")
        self.assertTrue(self.blacklisted(partner))
        self.assertEqual(
            self.Consent._state(partner, self.marketing, "email"), "withdrawn"
        )
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("Your consent is withdrawn", page)

    def test_give_in_portal_records_an_event(self):
        partner = self.ville.partner_id
        self.authenticate("consent_ville", "consent_ville_pw")
        response = self.post_consent(
            {"purpose_id": self.marketing.id, "channel": "sms", "action": "given"}
        )
        self.assertEqual(response.status_code, 303)
        event = self.events(partner)
        self.assertEqual(len(event), 1)
        self.assertEqual(
            (event.action, event.source, event.channel), ("given", "portal", "sms")
        )
        self.assertEqual(event.text_shown, self.marketing.consent_text)
        self.assertEqual(event.notice_id, self.notice, "the current version")
        self.assertEqual(self.Consent._state(partner, self.marketing, "sms"), "given")
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("your consent is recorded", page)

    def test_give_email_in_portal_lifts_an_earlier_withdrawal(self):
        partner = self.aino.partner_id
        self.Consent._record_event(
            partner, self.marketing, "email", "withdrawn", "import"
        )
        self.assertTrue(self.blacklisted(partner))
        self.authenticate("consent_aino", "consent_aino_pw")
        self.post_consent(
            {"purpose_id": self.marketing.id, "channel": "email", "action": "given"}
        )
        self.assertEqual(self.Consent._state(partner, self.marketing, "email"), "given")
        self.assertFalse(self.blacklisted(partner))

    @mute_logger("odoo.http")
    def test_post_without_csrf_is_refused(self):
        partner = self.aino.partner_id
        before = self.events(partner)
        self.authenticate("consent_aino", "consent_aino_pw")
        response = self.post_consent(
            {
                "purpose_id": self.marketing.id,
                "channel": "email",
                "action": "withdrawn",
            },
            csrf=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.events(partner), before)
        self.assertFalse(self.blacklisted(partner))

    def test_non_consent_purpose_or_bad_values_change_nothing(self):
        partner = self.aino.partner_id
        before = self.events(partner)
        self.authenticate("consent_aino", "consent_aino_pw")
        for data in (
            {"purpose_id": self.invoicing.id, "channel": "email", "action": "given"},
            {"purpose_id": self.marketing.id, "channel": "fax", "action": "given"},
            {
                "purpose_id": self.marketing.id,
                "channel": "email",
                "action": "requested",
            },
            {"purpose_id": "x", "channel": "email", "action": "given"},
        ):
            response = self.post_consent(data)
            self.assertEqual(response.status_code, 200)
            self.assertIn("This consent cannot be changed here", response.text)
        self.assertEqual(self.events(partner), before)

    def test_another_persons_id_is_ignored(self):
        aino, ville = self.aino.partner_id, self.ville.partner_id
        self.authenticate("consent_ville", "consent_ville_pw")
        self.post_consent(
            {
                "purpose_id": self.marketing.id,
                "channel": "email",
                "action": "withdrawn",
                "partner_id": aino.id,
            }
        )
        self.assertEqual(self.Consent._state(aino, self.marketing, "email"), "given")
        self.assertFalse(self.blacklisted(aino))
        self.assertEqual(len(self.events(aino)), 1)
        self.assertEqual(
            self.events(ville).mapped("action"), ["withdrawn"], "Ville's own line"
        )

    def test_requests_record_the_current_notice_version(self):
        self.authenticate("consent_aino", "consent_aino_pw")
        page = self.url_open("/my/privacy").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.assertIn(f'name="notice_id" value="{self.notice.id}"', page)
        self.url_open(
            "/my/privacy/request/new",
            data={"csrf_token": csrf, "kind": "access", "notice_id": self.notice.id},
        )
        Request = self.env["willsoft.privacy.request"]
        portal_request = Request.search([("partner_id", "=", self.aino.partner_id.id)])
        self.assertEqual(len(portal_request), 1)
        self.assertEqual(portal_request.notice_id, self.notice)
        staff_request = (
            Request.with_user(self.officer)
            .create(
                {
                    "partner_id": self.ville.partner_id.id,
                    "kind": "erasure",
                    "channel": "letter",
                }
            )
            .sudo()
        )
        self.assertEqual(staff_request.notice_id, self.notice)
        self.assertNotEqual(self.notice, self.original)

    def test_a_form_cannot_claim_a_draft_or_foreign_notice(self):
        draft = self.env["willsoft.privacy.notice"].browse(
            self.notice.action_new_version()["res_id"]
        )
        Notice = self.env["willsoft.privacy.notice"]
        company = self.env.company
        self.assertEqual(Notice._shown(company, draft.id), self.notice)
        self.assertEqual(Notice._shown(company, self.original.id), self.original)
        self.assertEqual(Notice._shown(company, "abc"), self.notice)
