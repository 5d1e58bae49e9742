# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user, tagged

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

    def incoming(self, subject, email_from='"Matti" <matti.intake@example.com>'):
        mail = self.format(
            INCOMING_SHORT,
            to=f"privacy@{self.alias_domain}",
            subject=subject,
            email_from=email_from,
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

    def swap_email(self, email):
        """A portal customer types someone else's address on /my/account
        (which writes their own contact in sudo)."""
        attacker = new_test_user(
            self.env,
            login="intake_mallory",
            groups="base.group_portal",
            name="Mallory Intake",
            email="mallory.intake@example.com",
        )
        attacker.partner_id.with_user(attacker).sudo().write({"email": email})
        self.assertEqual(attacker.partner_id.email, email)
        self.assertFalse(attacker.partner_id.privacy_email_proven == email)
        return attacker.partner_id

    def assert_not_on(self, request, partner):
        self.assertNotEqual(request.partner_id, partner)
        self.assertNotIn(partner, request.message_partner_ids)
        self.assertNotIn(partner, request.message_ids.author_id)
        self.assertNotIn(partner, request.create_uid.partner_id)

    def test_a_typed_address_is_no_sender(self):
        """Only the attacker's contact has the address (typed): the request
        is an unknown sender's, not the attacker's."""
        attacker = self.swap_email("vera.intake@example.com")
        request = self.incoming(
            "Stop the marketing newsletter", '"Vera" <vera.intake@example.com>'
        )
        self.assertEqual(len(request), 1)
        self.assert_not_on(request, attacker)
        self.assertFalse(request.partner_id)
        self.assertEqual(request.requester_email, "vera.intake@example.com")
        self.assertEqual(request.requester_name, "Vera")
        # Even an objection waits: no one is known to object.
        self.assertEqual(request.state, "identity")

    def test_the_proven_address_wins_over_a_typed_one(self):
        """The attacker typed the address of Matti, who has it proven: Matti's
        requests are Matti's, and his objection still acts at once."""
        attacker = self.swap_email("matti.intake@example.com")
        self.assertEqual(self.person.privacy_email_proven, "matti.intake@example.com")
        for subject, state in (
            ("Send me a copy of my data", "identity"),
            ("Stop the marketing newsletter", "new"),
        ):
            request = self.incoming(subject)
            self.assertEqual(request.partner_id, self.person, subject)
            incoming = request.message_ids.filtered(lambda m: m.message_type == "email")
            self.assertEqual(incoming.author_id, self.person)
            self.assertEqual(request.state, state)
            self.assert_not_on(request, attacker)
        self.assertTrue(
            self.env["mail.blacklist"].search(
                [("email", "=", "matti.intake@example.com")]
            )
        )
