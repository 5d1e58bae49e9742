# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.tests import HttpCase, tagged

MORE_THAN_A_NAME = "N" * 1000


@tagged("post_install", "-at_install")
class TestSignupLimits(HttpCase):
    """The public sign-up form has the limits of the request form: a few
    mails an hour per address and per IP address, bounded fields, and the
    same answer whoever is known."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.url = f"/privacy/consent/subscribe/{cls.marketing.id}"
        cls.Event = cls.env["willsoft.privacy.consent.event"]

    def sign_up(self, email, name="Tilaaja"):
        page = self.url_open(self.url).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self.url_open(
            self.url, data={"csrf_token": csrf, "name": name, "email": email}
        )

    def requested(self):
        return self.Event.search_count(
            [("action", "=", "requested"), ("source", "=", "public_form")]
        )

    def test_per_address_limit(self):
        for _i in range(3):
            self.assertIn("Check your email", self.sign_up("flood@example.fi").text)
        before = self.requested()
        page = self.sign_up("FLOOD@example.fi").text
        self.assertIn("Too many requests", page)
        self.assertEqual(self.requested(), before)
        # One person, however often they signed up.
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email_normalized", "=", "flood@example.fi")]
            ),
            1,
        )

    def test_per_ip_limit(self):
        for index in range(10):
            self.assertIn(
                "Check your email", self.sign_up(f"visitor{index}@example.fi").text
            )
        before = self.requested()
        partners = self.env["res.partner"].search_count([])
        page = self.sign_up("one.more@example.fi").text
        self.assertIn("Too many requests", page)
        self.assertEqual(self.requested(), before)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_fields_are_bounded(self):
        self.sign_up("long.name@example.fi", name=MORE_THAN_A_NAME)
        partner = self.env["res.partner"].search(
            [("email_normalized", "=", "long.name@example.fi")]
        )
        self.assertEqual(len(partner.name), 200)
        page = self.sign_up("x" * 300 + "@example.fi").text
        self.assertIn("Enter a valid email address.", page)

    def test_same_answer_known_or_not(self):
        self.env["res.partner"].create({"name": "Known", "email": "known@example.fi"})
        known = self.sign_up("known@example.fi").text
        unknown = self.sign_up("unknown@example.fi").text
        for page in (known, unknown):
            self.assertIn("Check your email", page)
            self.assertNotIn("alert-danger", page)
