# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPrivacyRequestUi(HttpCase):
    def test_portal_customer_gets_a_copy(self):
        """A portal customer files a copy request and downloads the export."""
        self.env["ir.config_parameter"].set_param(
            "willsoft_privacy.request_auto_export", True
        )
        user = new_test_user(
            self.env,
            login="tour_portal",
            password="tour_portal",
            groups="base.group_portal",
            name="Tour Portal Customer",
            email="tour.portal@example.com",
        )
        self.start_tour(
            "/my/privacy", "willsoft_privacy_request_portal_copy", login="tour_portal"
        )
        request = self.env["willsoft.privacy.request"].search(
            [("partner_id", "=", user.partner_id.id)]
        )
        self.assertEqual(request.kind, "access")
        self.assertEqual(request.state, "done")
        self.assertEqual(request.description, "I want to see everything you have.")
        self.assertIn("downloaded", " ".join(request.message_ids.mapped("body")))

    def test_officer_processes_an_erasure_request(self):
        """An officer takes an erasure request from new to done; the
        completion letter goes out."""
        new_test_user(
            self.env,
            login="tour_officer",
            password="tour_officer",
            groups="base.group_user,willsoft_privacy.group_privacy_officer",
        )
        person = self.env["res.partner"].create(
            {"name": "Tour Erasure Person", "email": "erase.me@example.com"}
        )
        request = self.env["willsoft.privacy.request"].create(
            {"partner_id": person.id, "kind": "erasure", "channel": "letter"}
        )
        self.start_tour(
            "/odoo/action-willsoft_privacy.willsoft_privacy_request_action",
            "willsoft_privacy_request_officer_erasure",
            login="tour_officer",
        )
        self.assertEqual(request.state, "done")
        self.assertEqual(
            request.outcome, "We deleted your contact details and messages."
        )
        letter = self.env["mail.mail"].search(
            [
                ("model", "=", request._name),
                ("res_id", "=", request.id),
                ("subject", "=", f"Your request {request.name} is completed"),
            ]
        )
        self.assertEqual(letter.recipient_ids, person)
