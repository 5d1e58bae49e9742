# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re
from urllib.parse import parse_qsl

import requests

from odoo.tests import HttpCase

from odoo.addons.mail.tests.common import MockEmail


class PublicFormsCase(HttpCase, MockEmail):
    """The public forms posted as a browser would, with the captcha services'
    siteverify answered here (the tests run without network): a subclass
    names each service's address with the function that answers its
    checks."""

    # {the captcha service's siteverify address: its answer to a form}, and
    # the answers the services were asked to verify, in order.
    siteverify = {}
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
        type(self).verified = []

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """The service's side of the check, answered as its documentation
        says; every other outside request stays blocked."""
        if r.url not in cls.siteverify:
            return super()._request_handler(s, r, **kw)
        body = r.body.decode() if isinstance(r.body, bytes) else r.body
        form = dict(parse_qsl(body))
        cls.verified.append(form.get("response"))
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(cls.siteverify[r.url](form)).encode()
        return response

    def set_params(self, **params):
        config = self.env["ir.config_parameter"].sudo()
        for key, value in params.items():
            config.set_param(key, value)

    def csrf(self, url):
        page = self.url_open(url).text
        return page, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def send_request(self, email, **extra):
        _page, csrf = self.csrf("/privacy/request")
        form = {
            "csrf_token": csrf,
            "name": "Turo Testaaja",
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
