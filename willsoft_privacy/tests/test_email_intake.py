# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCommon

from .test_willsoft_privacy_request_mail import INCOMING

# The same mail with the subject as its only text.
INCOMING_SHORT = INCOMING.split("\nPlease delete", 1)[0] + "\n{subject}\n"


@tagged("post_install", "-at_install")
class TestEmailIntake(MailCommon):
    """A From: header proves nothing: what hands over or changes data waits
    for the identity check; what only stops sending goes ahead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls.env["res.partner"].create(
            {"name": "Matti Intake", "email": "matti.intake@example.com"}
        )
        alias = cls.env.ref("willsoft_privacy.mail_alias_privacy_request")
        alias.alias_domain_id = cls.mail_alias_domain

    def incoming(self, subject):
        mail = self.format(
            INCOMING_SHORT,
            to=f"privacy@{self.alias_domain}",
            subject=subject,
            email_from='"Matti" <matti.intake@example.com>',
            msg_id=f"<{subject.replace(' ', '-')}@example.com>",
        )
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(None, mail)
        return self.env["willsoft.privacy.request"].search(
            [("description", "ilike", subject)]
        )

    def test_copy_by_email_waits_for_identity(self):
        request = self.incoming("Send me a copy of my data")
        self.assertEqual(request.partner_id, self.person)
        self.assertEqual(request.kind, "access")
        self.assertEqual(request.state, "identity")

    def test_objection_by_email_acts_at_once(self):
        request = self.incoming("Stop the marketing newsletter")
        self.assertEqual(request.kind, "objection")
        self.assertEqual(request.state, "new")
        self.assertTrue(
            self.env["mail.blacklist"].search(
                [("email", "=", "matti.intake@example.com")]
            )
        )
