# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools import mute_logger

from . import (
    test_recaptcha as recaptcha,
    test_turnstile as turnstile,
)
from .common import PublicFormsCase


@tagged("post_install", "-at_install")
class TestBothCaptchas(PublicFormsCase):
    """Both services' keys set: core asks Google's reCAPTCHA first, then
    Cloudflare's Turnstile, so the pages carry both keys and a post goes
    through only with both answers."""

    siteverify = {
        recaptcha.SITEVERIFY: recaptcha.siteverify_answer,
        turnstile.SITEVERIFY: turnstile.siteverify_answer,
    }

    def setUp(self):
        super().setUp()
        self.set_params(**recaptcha.KEYS, **turnstile.KEYS)

    def test_the_pages_carry_both_keys(self):
        for url in ("/privacy/request", self.subscribe_url):
            page, _csrf = self.csrf(url)
            self.assertRegex(
                page, f'"recaptcha_public_key": ?"{recaptcha.PUBLIC_KEY}"', url
            )
            self.assertRegex(
                page, f'"turnstile_site_key": ?"{turnstile.SITE_KEY}"', url
            )

    # Core logs each refused answer as a warning: expected here.
    @mute_logger(
        "odoo.addons.google_recaptcha.models.ir_http",
        "odoo.addons.website_cf_turnstile.models.ir_http",
    )
    def test_a_post_needs_both_answers(self):
        email = "turo.b@example.fi"
        google = recaptcha.answer("token-request")
        cloudflare = {"turnstile_captcha": "token-request"}
        self.assertIn(turnstile.FAILED, self.send_request(email, **google))
        self.assertIn(recaptcha.INVALID, self.send_request(email, **cloudflare))
        self.assertEqual(self.codes_for(email), 0)
        self.assertFalse(self._mails)
        page = self.send_request(email, **google, **cloudflare)
        self.assertIn("We sent a code to", page)
        self.assertEqual(self.codes_for(email), 1)
        # Asked of Google, then of Cloudflare (no answer: "False"); of Google
        # only (no token), which refuses; of both.
        self.assertEqual(
            self.verified,
            ["token-request", "False", "False", "token-request", "token-request"],
        )

    @mute_logger(
        "odoo.addons.google_recaptcha.models.ir_http",
        "odoo.addons.website_cf_turnstile.models.ir_http",
    )
    def test_the_sign_up_needs_both_answers(self):
        email = "tiina.b@example.fi"
        google = recaptcha.answer("token-subscribe")
        cloudflare = {"turnstile_captcha": "token-subscribe"}
        self.assertIn(turnstile.FAILED, self.sign_up(email, **google))
        self.assertIn(recaptcha.INVALID, self.sign_up(email, **cloudflare))
        self.assertFalse(self._mails)
        self.assertIn("Check your email", self.sign_up(email, **google, **cloudflare))
