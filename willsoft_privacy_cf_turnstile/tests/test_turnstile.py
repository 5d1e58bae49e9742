# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PublicFormsCase

SITE_KEY = "0x4AAAAAAAwillsoftSiteKey"
SECRET_KEY = "0x4AAAAAAAwillsoftSecret"
# The answers Cloudflare's widget put in the form, and the action each was
# given for (the form's data-captcha-action).
TOKENS = {
    "token-request": "willsoft_privacy_request",
    "token-subscribe": "willsoft_privacy_subscribe",
}
FAILED = "The CloudFlare human validation failed."
SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify"
KEYS = {"cf.turnstile_site_key": SITE_KEY, "cf.turnstile_secret_key": SECRET_KEY}


def siteverify_answer(form):
    """Cloudflare's answer, as its siteverify documentation says."""
    if form.get("secret") != SECRET_KEY:
        return {"success": False, "error-codes": ["invalid-input-secret"]}
    if form.get("response") in TOKENS:
        return {"success": True, "action": TOKENS[form["response"]]}
    return {"success": False, "error-codes": ["invalid-input-response"]}


@tagged("post_install", "-at_install")
class TestTurnstile(PublicFormsCase):
    """The public forms with Odoo's Cloudflare Turnstile addon: they work as
    before without its keys; with them, the page carries the site key for the
    widget and the server takes a post only with the widget's answer."""

    siteverify = {SITEVERIFY: siteverify_answer}

    def set_keys(self):
        self.set_params(**KEYS)

    def test_without_keys_the_forms_work_as_before(self):
        page, _csrf = self.csrf("/privacy/request")
        self.assertNotIn("turnstile_site_key", page)
        self.assertNotIn("recaptcha_public_key", page)
        self.assertIn("We sent a code to", self.send_request("turo@example.fi"))
        self.assertEqual(self.codes_for("turo@example.fi"), 1)
        self.assertIn("Check your email", self.sign_up("tiina@example.fi"))
        self.assertEqual(self.verified, [])

    def test_the_pages_carry_the_site_key_for_the_widget(self):
        self.set_keys()
        for url in ("/privacy/request", self.subscribe_url):
            page, _csrf = self.csrf(url)
            self.assertRegex(page, f'"turnstile_site_key": ?"{SITE_KEY}"', url)
            self.assertIn("o_privacy_public_form", page, url)

    # Core logs each refused answer as a warning: expected here.
    @mute_logger("odoo.addons.website_cf_turnstile.models.ir_http")
    def test_the_request_form_takes_only_an_answered_widget(self):
        self.set_keys()
        email = "turo.t@example.fi"
        self.assertIn(FAILED, self.send_request(email))
        self.assertIn(FAILED, self.send_request(email, turnstile_captcha="forged"))
        self.assertEqual(self.codes_for(email), 0)
        self.assertFalse(self._mails)
        page = self.send_request(email, turnstile_captcha="token-request")
        self.assertIn("We sent a code to", page)
        self.assertEqual(self.codes_for(email), 1)
        self.assertEqual(self.verified[1:], ["forged", "token-request"])

    # Core logs each refused answer as a warning: expected here.
    @mute_logger("odoo.addons.website_cf_turnstile.models.ir_http")
    def test_the_sign_up_form_takes_only_an_answered_widget(self):
        self.set_keys()
        email = "tiina.t@example.fi"
        self.assertIn(FAILED, self.sign_up(email))
        self.assertIn(FAILED, self.sign_up(email, turnstile_captcha="forged"))
        self.assertFalse(self._mails)
        page = self.sign_up(email, turnstile_captcha="token-subscribe")
        self.assertIn("Check your email", page)
        self.assertEqual(self.verified[1:], ["forged", "token-subscribe"])
