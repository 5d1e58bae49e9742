# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PublicFormsCase

PUBLIC_KEY = "6LwillsoftPublicKey"
PRIVATE_KEY = "6LwillsoftPrivateKey"
# The tokens reCAPTCHA v3 gave the page: the action each was given for (the
# form's data-captcha-action) and the score Google gives it.
TOKENS = {
    "token-request": ("willsoft_privacy_request", 0.9),
    "token-subscribe": ("willsoft_privacy_subscribe", 0.9),
    "token-bot": ("willsoft_privacy_request", 0.1),
}
INVALID = "The reCaptcha token is invalid."
REFUSED = "The captcha check failed. Please try again."


SITEVERIFY = "https://www.recaptcha.net/recaptcha/api/siteverify"


def answer(token):
    """The form's field that reCAPTCHA's token goes in."""
    return {"recaptcha_token_response": token}


def siteverify_answer(form):
    """Google's answer, as its reCAPTCHA v3 verify documentation says."""
    if form.get("secret") != PRIVATE_KEY:
        return {"success": False, "error-codes": ["invalid-input-secret"]}
    if form.get("response") in TOKENS:
        action, score = TOKENS[form["response"]]
        return {"success": True, "score": score, "action": action}
    return {"success": False, "error-codes": ["invalid-input-response"]}


# As the settings store them (0.7 is the settings' default score).
KEYS = {
    "recaptcha_public_key": PUBLIC_KEY,
    "recaptcha_private_key": PRIVATE_KEY,
    "recaptcha_min_score": "0.7",
}


@tagged("post_install", "-at_install")
class TestRecaptcha(PublicFormsCase):
    """The public forms with Odoo's Google reCAPTCHA addon (its keys set,
    Cloudflare Turnstile's not, both addons installed): the page carries the
    public key for reCAPTCHA v3, and the server takes a post only with a token
    Google scores human for the form's own action."""

    siteverify = {SITEVERIFY: siteverify_answer}

    def setUp(self):
        super().setUp()
        self.set_params(**KEYS)

    def test_the_pages_carry_the_public_key_for_recaptcha(self):
        for url in ("/privacy/request", self.subscribe_url):
            page, _csrf = self.csrf(url)
            self.assertRegex(page, f'"recaptcha_public_key": ?"{PUBLIC_KEY}"', url)
            self.assertNotIn("turnstile_site_key", page, url)
            self.assertIn("o_privacy_public_form", page, url)

    # Core logs each refused token as a warning: expected here.
    @mute_logger("odoo.addons.google_recaptcha.models.ir_http")
    def test_the_request_form_takes_only_a_human_token_for_it(self):
        email = "turo.r@example.fi"
        self.assertIn(INVALID, self.send_request(email))
        self.assertIn(INVALID, self.send_request(email, **answer("forged")))
        self.assertIn(REFUSED, self.send_request(email, **answer("token-bot")))
        # A token given for the other form.
        self.assertIn(REFUSED, self.send_request(email, **answer("token-subscribe")))
        self.assertEqual(self.codes_for(email), 0)
        self.assertFalse(self._mails)
        page = self.send_request(email, **answer("token-request"))
        self.assertIn("We sent a code to", page)
        self.assertEqual(self.codes_for(email), 1)
        self.assertEqual(
            self.verified[1:],
            ["forged", "token-bot", "token-subscribe", "token-request"],
        )

    # Core logs each refused token as a warning: expected here.
    @mute_logger("odoo.addons.google_recaptcha.models.ir_http")
    def test_the_sign_up_form_takes_only_a_human_token_for_it(self):
        email = "tiina.r@example.fi"
        self.assertIn(INVALID, self.sign_up(email))
        self.assertIn(INVALID, self.sign_up(email, **answer("forged")))
        self.assertIn(REFUSED, self.sign_up(email, **answer("token-bot")))
        # A token given for the other form.
        self.assertIn(REFUSED, self.sign_up(email, **answer("token-request")))
        self.assertFalse(self._mails)
        page = self.sign_up(email, **answer("token-subscribe"))
        self.assertIn("Check your email", page)
        self.assertEqual(
            self.verified[1:],
            ["forged", "token-bot", "token-request", "token-subscribe"],
        )
