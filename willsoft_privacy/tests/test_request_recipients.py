# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestRequestRecipients(PrivacyCommon, MockEmail):
    """GDPR Art. 19: after a correction, erasure or restriction the desk
    records that each recipient of the register was told, or why not, and
    the letter names them when the person asks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls.env["res.partner"].create(
            {"name": "Reetta Vastaanottaja", "email": "reetta@example.com"}
        )

    def new_request(self, kind, **vals):
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": self.person.id, "kind": kind, **vals})
        )
        request.action_start()
        return request

    def test_recipients_come_from_the_register(self):
        request = self.new_request("rectification", rect_city="Vaasa")
        request.action_apply_rectification()
        names = request.recipient_ids.mapped("name")
        self.assertIn("The auditor and the tax authorities", names)
        self.assertEqual(len(names), len(set(names)))  # each once
        register = " ".join(
            text
            for text in self.env["willsoft.privacy.processing"]
            .search([])
            .mapped("recipients")
            if text
        )
        for name in names:
            self.assertIn(name[1:], register)
        self.assertEqual(set(request.recipient_ids.mapped("state")), {"pending"})

    def test_done_only_when_each_recipient_is_accounted_for(self):
        request = self.new_request("erasure")
        request.action_run_erasure()
        self.assertTrue(request.recipient_ids)
        with self.assertRaisesRegex(UserError, "each recipient"):
            request.action_done()
        self.assertEqual(request.state, "progress")
        first, *others = request.recipient_ids
        first.write({"state": "informed", "note": "By email"})
        for line in others:
            line.write({"state": "nothing", "note": "Received no data of hers"})
        request.recipients_requested = True
        with self.mock_mail_gateway():
            request.action_done()
        mail = self.assertMailMailWEmails(["reetta@example.com"], "outgoing")
        self.assertIn("Whom we told (GDPR Art. 19)", mail.body_html)
        self.assertIn(first.name, mail.body_html)
        self.assertIn("Received none of the data", mail.body_html)

    def test_the_letter_names_no_one_unless_asked(self):
        request = self.new_request("restriction")
        request.action_restrict_processing()
        request.recipient_ids.state = "informed"
        with self.mock_mail_gateway():
            request.action_done()
        mail = self.assertMailMailWEmails(["reetta@example.com"], "outgoing")
        self.assertNotIn("Whom we told", mail.body_html)
