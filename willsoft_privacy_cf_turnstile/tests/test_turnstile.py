# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re
from urllib.parse import parse_qsl

import requests

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify"
SITE_KEY = "0x4AAAAAAAwillsoftSiteKey"
SECRET_KEY = "0x4AAAAAAAwillsoftSecret"
# The answers Cloudflare's widget put in the form, and the action each was
# given for (the form's data-captcha-action).
TOKENS = {
    "token-request": "willsoft_privacy_request",
    "token-subscribe": "willsoft_privacy_subscribe",
}
FAILED = "The CloudFlare human validation failed."


@tagged("post_install", "-at_install")
class TestTurnstile(HttpCase, MockEmail):
    """The public forms with Odoo's Cloudflare Turnstile addon: they work as
    before without its keys; with them, the page carries the site key for the
    widget and the server takes a post only with the widget's answer."""

    verified = []

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.subscribe_url = f"/privacy/consent/subscribe/{cls.marketing.id}"
        cls.Verification = cls.env["willsoft.privacy.request.verification"]
        # The letters go out from the company's address.
        cls.env.company.email = "tietosuoja@willsoft.example"

    def setUp(self):
        super().setUp()
        # The answers Cloudflare was asked to verify, in order.
        type(self).verified = []

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """Cloudflare's side of the check, answered here as its siteverify
        documentation says (the tests run without network); every other
        outside request stays blocked."""
        if r.url != SITEVERIFY:
            return super()._request_handler(s, r, **kw)
        body = r.body.decode() if isinstance(r.body, bytes) else r.body
        form = dict(parse_qsl(body))
        cls.verified.append(form.get("response"))
        if form.get("secret") != SECRET_KEY:
            answer = {"success": False, "error-codes": ["invalid-input-secret"]}
        elif form.get("response") in TOKENS:
            answer = {"success": True, "action": TOKENS[form["response"]]}
        else:
            answer = {"success": False, "error-codes": ["invalid-input-response"]}
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(answer).encode()
        return response

    def set_keys(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("cf.turnstile_site_key", SITE_KEY)
        params.set_param("cf.turnstile_secret_key", SECRET_KEY)

    def csrf(self, url):
        page = self.url_open(url).text
        return page, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def send_request(self, email, **extra):
        _page, csrf = self.csrf("/privacy/request")
        form = {
            "csrf_token": csrf,
            "name": "Turo Turnstile",
            "email": email,
            "kind": "access",
            "description": "A copy, please",
            **extra,
        }
        with self.mock_mail_gateway():
            response = self.url_open("/privacy/request/send", data=form)
        self.assertEqual(response.status_code, 200)
        return response.text

    def sign_up(self, email, **extra):
        _page, csrf = self.csrf(self.subscribe_url)
        form = {"csrf_token": csrf, "name": "Tiina Tilaaja", "email": email, **extra}
        with self.mock_mail_gateway():
            response = self.url_open(self.subscribe_url, data=form)
        self.assertEqual(response.status_code, 200)
        return response.text

    def codes_for(self, email):
        return self.Verification.search_count([("email", "=", email)])

    def test_without_keys_the_forms_work_as_before(self):
        page, _csrf = self.csrf("/privacy/request")
        self.assertNotIn("turnstile_site_key", page)
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
