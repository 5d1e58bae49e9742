# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from urllib.parse import parse_qsl, urlsplit

from odoo.tests import new_test_user


class ConsentCommon:
    """People and purposes for consent tests, in the main company (the one
    the seeded register and notice belong to)."""

    @classmethod
    def setUpConsent(cls):
        cls.Consent = cls.env["willsoft.privacy.consent"]
        cls.Event = cls.env["willsoft.privacy.consent.event"]
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.invoicing = cls.env.ref("willsoft_privacy.processing_invoicing")
        cls.notice = cls.env.ref("willsoft_privacy.notice_2018")
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Liisa Laine",
                "email": "liisa.laine@test.example",
                "phone": "+358 40 123 4567",
                "lang": "en_US",
                "privacy_category": "prospect",
            }
        )
        cls.privacy_user = new_test_user(
            cls.env,
            login="consent_user",
            groups="base.group_user,base.group_partner_manager,"
            "willsoft_privacy.group_privacy_user",
        )
        cls.officer = new_test_user(
            cls.env,
            login="consent_officer",
            groups="base.group_user,base.group_partner_manager,"
            "willsoft_privacy.group_privacy_officer",
        )

    @staticmethod
    def link_params(url):
        return dict(parse_qsl(urlsplit(url).query))

    def consent_mails(self, partner):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id"
        )

    def purpose_mail(self, purpose, subject, state="outgoing"):
        """A mail to the test person, sent or queued for ``purpose``."""
        return self.env["mail.mail"].create(
            {
                "subject": subject,
                "body_html": f"<p>{subject}</p>",
                "recipient_ids": [(4, self.person.id)],
                "willsoft_privacy_processing_id": purpose.id,
                "state": state,
            }
        )
