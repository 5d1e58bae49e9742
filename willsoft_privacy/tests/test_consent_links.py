# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import time

from lxml import html as lxml_html

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ConsentCommon

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) WillsoftTest/1.0"


@tagged("post_install", "-at_install")
class TestConsentLinks(ConsentCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpConsent()

    def _open(self, url, data=None):
        return self.url_open(url, data=data, headers={"User-Agent": BROWSER})

    def _post_form(self, page):
        """Submit the form of a confirmation page, as the browser does."""
        form = lxml_html.fromstring(page.text).xpath("//form[@method='post']")[0]
        data = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
        self.assertTrue(data.get("csrf_token"))
        return self._open(form.get("action"), data=data)

    def _path(self, url):
        return url[url.index("/privacy/") :]

    def test_double_opt_in_and_withdrawal_record_proof(self):
        self.Consent._request_email_consent(
            self.person, self.marketing, "public_form", ip_address="203.0.113.5"
        )
        mail = self.consent_mails(self.person)[-1]
        url = re.search(
            r'href="([^"]*/privacy/consent/confirm\?[^"]*)"', mail.body_html
        )
        confirm_url = self._path(url.group(1).replace("&amp;", "&"))

        page = self._open(confirm_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Confirm your consent", page.text)
        self.assertIn("news and offers", page.text)
        self.assertFalse(
            self.Consent._state(self.person, self.marketing, "email"),
            "opening the link (e.g. a mail scanner) confirms nothing",
        )
        done = self._post_form(page)
        self.assertEqual(done.status_code, 200)
        self.assertIn("your consent is confirmed", done.text)
        given = self.person.privacy_consent_event_ids[0]
        self.assertEqual(given.action, "given")
        self.assertEqual(given.source, "email_link")
        self.assertEqual(given.ip_address, "127.0.0.1")
        self.assertEqual(given.user_agent, BROWSER)
        self.assertEqual(given.notice_id, self.notice)
        self.assertIn("news and offers", given.text_shown)

        withdraw_url = self._path(
            self.Consent._withdraw_url(self.person, self.marketing)
        )
        page = self._open(withdraw_url)
        self.assertIn("Withdraw your consent", page.text)
        done = self._post_form(page)
        self.assertIn("Your consent is withdrawn", done.text)
        withdrawn = self.person.privacy_consent_event_ids[0]
        self.assertEqual(
            (withdrawn.action, withdrawn.ip_address, withdrawn.user_agent),
            ("withdrawn", "127.0.0.1", BROWSER),
        )
        self.assertTrue(
            self.env["mail.blacklist"].search(
                [("email", "=", "liisa.laine@test.example")]
            )
        )
        # The link used again says it is done, and records nothing twice.
        again = self._open(withdraw_url)
        self.assertIn("Your consent is withdrawn", again.text)
        self.assertNotIn("liisa.laine@test.example", again.text)
        self.assertEqual(self.person.privacy_consent_event_ids[0], withdrawn)

    def test_tampered_and_expired_links_refused(self):
        self.Consent._request_email_consent(self.person, self.marketing, "public_form")
        url = self._path(self.Consent._confirm_url(self.person, self.marketing))
        tampered = re.sub(r"token=\w", "token=0", url)
        if tampered == url:
            tampered = re.sub(r"token=\w", "token=1", url)
        count = len(self.Event.search([]))
        page = self._open(tampered)
        self.assertEqual(page.status_code, 403)
        self.assertIn("This link is not valid", page.text)
        self.assertNotIn("csrf_token", page.text.split("<main>")[-1])

        expired = self.Consent._link_params(
            "confirm", self.person, self.marketing, expiry=int(time.time()) - 60
        )
        page = self._open(
            "/privacy/consent/confirm",
            data={
                **expired,
                "csrf_token": self._csrf(),
            },
        )
        self.assertEqual(page.status_code, 403)
        self.assertIn("expired", page.text)
        self.assertEqual(len(self.Event.search([])), count)
        self.assertFalse(self.Consent._state(self.person, self.marketing, "email"))

    def test_post_without_csrf_token_refused(self):
        withdraw = self.Consent._link_params("withdraw", self.person, self.marketing)
        with mute_logger("odoo.http"):  # Odoo warns of the missing token
            response = self._open("/privacy/consent/withdraw", data=withdraw)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.person.privacy_consent_event_ids)

    def _csrf(self):
        page = self._open("/privacy/notice")
        return re.search(r'csrf_token: "([^"]+)"', page.text).group(1)

    def test_public_sign_up_then_confirm(self):
        # The page the purpose's form gives staff to link from the website.
        url = self._path(self.marketing.consent_signup_url)
        self.assertEqual(url, f"/privacy/consent/subscribe/{self.marketing.id}")
        self.assertFalse(self.invoicing.consent_signup_url, "contract: no sign-up")
        page = self._open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("news and offers", page.text)

        form = lxml_html.fromstring(page.text).xpath("//form[@method='post']")[0]
        csrf = form.xpath(".//input[@name='csrf_token']")[0].get("value")
        bad = self._open(url, data={"csrf_token": csrf, "email": "not an email"})
        self.assertIn("Enter a valid email address.", bad.text)
        Partner = self.env["res.partner"]
        self.assertFalse(Partner.search([("email", "=", "uusi@example.fi")]))

        done = self._open(
            url,
            data={
                "csrf_token": csrf,
                "name": "Uusi Tilaaja",
                "email": "uusi@example.fi",
            },
        )
        self.assertIn("Check your email", done.text)
        partner = Partner.search([("email", "=", "uusi@example.fi")])
        self.assertEqual(partner.privacy_category, "prospect")
        self.assertTrue(partner.privacy_consent_only)
        requested = partner.privacy_consent_event_ids
        self.assertEqual(
            (requested.action, requested.source, requested.ip_address),
            ("requested", "public_form", "127.0.0.1"),
        )
        self.assertEqual(requested.user_agent, BROWSER)
        self.assertEqual(requested.notice_id, self.notice)
        self.assertFalse(self.Consent._state(partner, self.marketing, "email"))
        self.assertEqual(
            self.consent_mails(partner).subject, "Confirm your subscription"
        )

        # The same answer for a known address; no second person is created.
        partners = Partner.search_count([])
        self._open(url, data={"csrf_token": csrf, "email": "Liisa.Laine@Test.Example"})
        self.assertEqual(Partner.search_count([]), partners)
        self.assertEqual(self.person.privacy_consent_event_ids.action, "requested")

        # A purpose on another legal basis has no sign-up form.
        self.assertEqual(
            self._open(f"/privacy/consent/subscribe/{self.invoicing.id}").status_code,
            404,
        )
