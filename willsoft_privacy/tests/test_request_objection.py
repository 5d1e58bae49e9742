# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import PrivacyCommon

EMAIL = "vastustaja@example.com"


@tagged("post_install", "-at_install")
class TestRequestObjection(PrivacyCommon):
    """GDPR 21(3): an objection to direct marketing is absolute until the
    person gives a new consent to that same purpose."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Consent = cls.env["willsoft.privacy.consent"]
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.events = cls.env["willsoft.privacy.processing"].create(
            {
                "name": "Event invitations",
                "legal_basis": "consent",
                "retention_rule": "consent",
                "consent_text": "Invite me to Willsoft's events.",
            }
        )
        cls.person = cls.env["res.partner"].create(
            {"name": "Vilja Vastustaja", "email": EMAIL, "lang": "en_US"}
        )
        cls.env["willsoft.privacy.request"].with_user(cls.officer).create(
            {"partner_id": cls.person.id, "kind": "objection"}
        )

    def blacklisted(self):
        return bool(self.env["mail.blacklist"].search([("email", "=", EMAIL)]))

    def give(self, purpose, source="email_link"):
        return self.Consent._record_event(
            self.person, purpose, "email", "given", source, ip_address="192.0.2.1"
        )

    def test_consent_to_another_purpose_never_lifts_it(self):
        self.assertTrue(self.blacklisted())
        event = self.give(self.events)
        self.assertEqual(event.action, "given")  # in the ledger all the same
        self.assertTrue(self.blacklisted())

    def test_an_imported_consent_never_lifts_it(self):
        self.give(self.marketing, source="import")
        self.assertTrue(self.blacklisted())

    def test_the_persons_own_consent_to_that_purpose_lifts_it(self):
        self.give(self.marketing)
        self.assertFalse(self.blacklisted())
