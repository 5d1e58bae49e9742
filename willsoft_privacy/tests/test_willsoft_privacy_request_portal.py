# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import PortalPages


@tagged("post_install", "-at_install")
class TestPrivacyRequestPortal(PortalPages, HttpCase, MockEmail):
    """What a portal user and a visitor can reach, and what they cannot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {"name": "Lapuan Kone Oy", "is_company": True, "email": "info@lk.example"}
        )
        cls.aino = new_test_user(
            cls.env,
            login="dsr_aino",
            password="dsr_aino_pw",
            groups="base.group_portal",
            name="Aino Virtanen",
            email="aino@lk.example",
        )
        cls.aino.partner_id.write({"parent_id": cls.customer.id, "city": "Lapua"})
        # A colleague at the same customer, with a portal login too.
        cls.ville = new_test_user(
            cls.env,
            login="dsr_ville",
            password="dsr_ville_pw",
            groups="base.group_portal",
            name="Ville Colleague",
            email="ville@lk.example",
        )
        cls.ville.partner_id.parent_id = cls.customer
        cls.officer = new_test_user(
            cls.env,
            login="dsr_http_officer",
            groups="base.group_user,willsoft_privacy.group_privacy_officer",
        )
        Request = cls.env["willsoft.privacy.request"]
        cls.aino_request = Request.create(
            {"partner_id": cls.aino.partner_id.id, "kind": "access"}
        )
        cls.ville_request = Request.create(
            {"partner_id": cls.ville.partner_id.id, "kind": "access"}
        )
        cls.ville.partner_id.message_post(
            body="Ville's private question", message_type="comment"
        )
        for request in cls.aino_request | cls.ville_request:
            request.action_start()
            request.action_prepare_export()

    def test_page_lists_only_own_requests(self):
        self.authenticate("dsr_aino", "dsr_aino_pw")
        page = self.url_open("/my/privacy")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.aino_request.name, page.text)
        self.assertNotIn(self.ville_request.name, page.text)
        self.assertIn("What we hold about you", page.text)
        self.assertIn("Lapua", page.text)
        home = self.url_open("/my/home").text
        self.assertIn('href="/my/privacy"', home)

    def test_page_speaks_the_persons_language(self):
        self.env["res.lang"]._activate_lang("fi_FI")
        self.env["ir.module.module"]._load_module_terms(
            ["willsoft_privacy"], ["fi_FI"], overwrite=True
        )
        self.aino.partner_id.lang = "fi_FI"
        if "website" in self.env:
            # With Website installed, pages speak only the website's languages.
            self.env["website"].search([]).language_ids |= self.env.ref("base.lang_fi")
        self.authenticate("dsr_aino", "dsr_aino_pw")
        page = self.url_open("/my/privacy").text
        self.assertIn("Mitä tietoja meillä on sinusta", page)
        self.assertIn("Kopio tiedoistani", page)
        self.assertIn("Poista tietoni", page)

    def test_record_rule(self):
        Request = self.env["willsoft.privacy.request"].with_user(self.aino)
        self.assertEqual(Request.search([]), self.aino_request)
        with self.assertRaises(AccessError):
            self.ville_request.with_user(self.aino).read(["name"])
        with self.assertRaises(AccessError):
            self.aino_request.with_user(self.aino).write({"outcome": "Self-served"})

    def test_other_users_request_gives_nothing(self):
        self.authenticate("dsr_aino", "dsr_aino_pw")
        own = self.url_open(f"/my/privacy/request/{self.aino_request.id}")
        self.assertIn(self.aino_request.name, own.text)
        other = self.url_open(f"/my/privacy/request/{self.ville_request.id}")
        self.assertNotIn(self.ville_request.name, other.text)
        self.assertTrue(other.url.endswith("/my"))
        missing = self.url_open("/my/privacy/request/999999")
        self.assertTrue(missing.url.endswith("/my"))

    @mute_logger("odoo.http")
    def test_messages_only_on_own_request(self):
        self.authenticate("dsr_aino", "dsr_aino_pw")
        post = {"body": "Is my copy ready?", "message_type": "comment"}
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "willsoft.privacy.request",
                "thread_id": self.aino_request.id,
                "post_data": post,
            },
        )
        self.assertEqual(
            self.aino_request.message_ids[0].author_id, self.aino.partner_id
        )
        self.assertIn("Is my copy ready?", self.aino_request.message_ids[0].body)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "willsoft.privacy.request",
                    "thread_id": self.ville_request.id,
                    "post_data": post,
                },
            )
        self.assertNotIn(
            "Is my copy ready?", "".join(self.ville_request.message_ids.mapped("body"))
        )

    def test_export_link_holds_the_person_not_colleagues(self):
        url = self.aino_request._export_url("json")
        response = self.url_open(url)  # the token alone opens it
        self.assertEqual(response.status_code, 200)
        data = json.loads(response.content)
        self.assertEqual(data["schema"], "willsoft_privacy.export/1")
        self.assertEqual(data["subject"]["id"], self.aino.partner_id.id)
        text = response.text
        self.assertIn("aino@lk.example", text)
        self.assertNotIn("ville@lk.example", text)
        self.assertNotIn("private question", text)
        self.assertIn("downloaded", self.aino_request.message_ids[0].body)
        csv_response = self.url_open(self.aino_request._export_url("csv"))
        self.assertEqual(csv_response.status_code, 200)
        self.assertIn("partner,", csv_response.text)

    def test_wrong_or_expired_token_gives_404(self):
        aino_token = self.aino_request._export_url("json").rsplit("/", 1)[1]
        cases = [
            f"/my/privacy/export/{self.ville_request.id}/json/{aino_token}",
            f"/my/privacy/export/{self.aino_request.id}/csv/{aino_token}",
            f"/my/privacy/export/{self.aino_request.id}/json/{'0' * 64}",
            f"/my/privacy/export/{self.aino_request.id}/pdf/{aino_token}",
            "/my/privacy/export/999999/json/abc",
        ]
        self.authenticate("dsr_aino", "dsr_aino_pw")
        for url in cases:
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        url = self.aino_request._export_url("json")
        self.aino_request.export_expiry = "2000-01-01 00:00:00"
        self.assertEqual(self.url_open(url).status_code, 404)

    def test_new_request_takes_the_person_from_the_session(self):
        self.authenticate("dsr_aino", "dsr_aino_pw")
        csrf = self.csrf("/my/privacy")
        response = self.url_open(
            "/my/privacy/request/new",
            data={
                "csrf_token": csrf,
                "kind": "objection",
                "description": "No newsletters, please.",
                "partner_id": self.ville.partner_id.id,  # ignored
                "state": "done",  # ignored
                "user_id": self.officer.id,  # ignored
            },
        )
        self.assertEqual(response.status_code, 200)
        request = self.env["willsoft.privacy.request"].search(
            [
                ("kind", "=", "objection"),
                ("description", "=", "No newsletters, please."),
            ]
        )
        self.assertEqual(request.partner_id, self.aino.partner_id)
        self.assertEqual(request.state, "new")
        self.assertEqual(request.channel, "portal")
        self.assertFalse(request.user_id)
        self.assertIn(request.name, response.text)
        # Marketing stops at once.
        self.assertTrue(self.aino.partner_id.is_blacklisted)
        # One open request per kind.
        response = self.url_open(
            "/my/privacy/request/new", data={"csrf_token": csrf, "kind": "objection"}
        )
        self.assertIn("already have an open request", response.text)
        self.assertEqual(
            self.env["willsoft.privacy.request"].search_count(
                [
                    ("partner_id", "=", self.aino.partner_id.id),
                    ("kind", "=", "objection"),
                ]
            ),
            1,
        )

    @mute_logger("odoo.http")
    def test_post_without_csrf_is_refused(self):
        self.authenticate("dsr_aino", "dsr_aino_pw")
        before = self.env["willsoft.privacy.request"].search_count([])
        response = self.url_open(
            "/my/privacy/request/new", data={"kind": "restriction"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.env["willsoft.privacy.request"].search_count([]), before)

    def test_rectification_from_the_portal(self):
        self.authenticate("dsr_aino", "dsr_aino_pw")
        csrf = self.csrf("/my/privacy")
        self.url_open(
            "/my/privacy/request/new",
            data={
                "csrf_token": csrf,
                "kind": "rectification",
                "rect_name": "Aino Korhonen",
                "rect_city": "Lapua",  # unchanged
                "rect_email": "aino@lk.example",
                "rect_country_id": "not-a-number",  # ignored, no error
                "rect_lang": "xx_XX",  # not installed: ignored
            },
        )
        request = self.env["willsoft.privacy.request"].search(
            [
                ("kind", "=", "rectification"),
                ("partner_id", "=", self.aino.partner_id.id),
            ]
        )
        self.assertEqual(request.rect_name, "Aino Korhonen")
        self.assertEqual(request._rectification_changes(), {"name": "Aino Korhonen"})
        officer_request = request.with_user(self.officer)
        officer_request.action_start()
        officer_request.action_apply_rectification()
        self.assertEqual(self.aino.partner_id.name, "Aino Korhonen")

    def test_auto_export_for_portal_users(self):
        self.env["ir.config_parameter"].set_param(
            "willsoft_privacy.request_auto_export", True
        )
        self.authenticate("dsr_ville", "dsr_ville_pw")
        csrf = self.csrf("/my/privacy")
        self.url_open(
            "/my/privacy/request/new", data={"csrf_token": csrf, "kind": "portability"}
        )
        request = self.env["willsoft.privacy.request"].search(
            [
                ("kind", "=", "portability"),
                ("partner_id", "=", self.ville.partner_id.id),
            ]
        )
        self.assertEqual(request.state, "done")
        self.assertTrue(request.export_available)
        page = self.url_open(request.access_url).text
        self.assertIn("Download (JSON)", page)
        # The deadline activity, set for an officer and marked done, is the
        # staff's: not written by the person (nor in their export).
        activity_type = self.env.ref(
            "willsoft_privacy.mail_activity_type_request_deadline"
        )
        messages = self.env["mail.message"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        about_activity = messages.filtered(
            lambda m: (
                m.mail_activity_type_id == activity_type
                or m.message_type == "user_notification"
            )
        )
        self.assertTrue(about_activity)
        self.assertNotIn(self.ville.partner_id, about_activity.author_id)
        self.assertEqual(about_activity.author_id, self.env.ref("base.partner_root"))

    def test_public_form_needs_the_emailed_code(self):
        csrf = self.csrf("/privacy/request")
        form = {
            "csrf_token": csrf,
            "name": "Aino Virtanen",
            "email": "AINO@lk.example",
            "kind": "erasure",
            "description": "Delete me",
            "partner_id": self.ville.partner_id.id,  # ignored
        }
        Request = self.env["willsoft.privacy.request"]
        before = Request.search_count([])
        with self.mock_mail_gateway():
            response = self.url_open("/privacy/request/send", data=form)
        self.assertIn("We sent a code to", response.text)
        self.assertEqual(Request.search_count([]), before)
        sent = [
            mail for mail in self._mails if "aino@lk.example" in str(mail["email_to"])
        ]
        self.assertEqual(len(sent), 1)
        code = re.search(r"(\d{6})", sent[0]["subject"]).group(1)
        pending = self.env["willsoft.privacy.request.verification"].search(
            [("email", "=", "aino@lk.example")]
        )
        self.assertNotIn(code, pending.code_hash)
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        response = self.url_open(
            "/privacy/request/confirm", data={"csrf_token": csrf, "code": wrong}
        )
        self.assertIn("code is not right", response.text)
        self.assertEqual(Request.search_count([]), before)
        response = self.url_open(
            "/privacy/request/confirm", data={"csrf_token": csrf, "code": code}
        )
        request = Request.search([], order="id desc", limit=1)
        self.assertIn(request.name, response.text)
        self.assertEqual(request.partner_id, self.aino.partner_id)
        self.assertEqual(request.channel, "web")
        self.assertEqual(request.kind, "erasure")
        self.assertEqual(
            request.notice_id, self.env.ref("willsoft_privacy.notice_2018")
        )

    def test_public_form_records_the_notice_version_shown(self):
        original = self.env.ref("willsoft_privacy.notice_2018")
        page = self.url_open("/privacy/request").text
        self.assertIn(f'href="/privacy/notice/{original.id}"', page)
        # A new version is published while the person fills in the form
        # they loaded before it: their request names what they were shown.
        newer = self.env["willsoft.privacy.notice"].create(
            {"company_id": self.env.company.id}
        )
        newer._generate_sections()
        newer.action_publish()
        self.assertIn(
            f'href="/privacy/notice/{newer.id}"', self.url_open("/privacy/request").text
        )
        csrf = self.csrf("/privacy/request")
        form = {
            "csrf_token": csrf,
            "name": "Aino Virtanen",
            "email": "aino@lk.example",
            "kind": "access",
            "notice_id": str(original.id),
        }
        with self.mock_mail_gateway():
            self.url_open("/privacy/request/send", data=form)
        code = re.search(r"(\d{6})", self._mails[-1]["subject"]).group(1)
        self.url_open(
            "/privacy/request/confirm", data={"csrf_token": csrf, "code": code}
        )
        request = self.env["willsoft.privacy.request"].search(
            [("kind", "=", "access")], order="id desc", limit=1
        )
        self.assertEqual(request.notice_id, original)

    def test_public_form_rate_limit(self):
        csrf = self.csrf("/privacy/request")
        form = {
            "csrf_token": csrf,
            "name": "Spammed",
            "email": "victim@example.com",
            "kind": "access",
        }
        with self.mock_mail_gateway():
            for _attempt in range(3):
                self.url_open("/privacy/request/send", data=form)
            response = self.url_open("/privacy/request/send", data=form)
        self.assertIn("Too many requests", response.text)
        self.assertEqual(
            len([m for m in self._mails if "victim@example.com" in str(m["email_to"])]),
            3,
        )

    @mute_logger("odoo.http")
    def test_public_form_without_csrf_is_refused(self):
        response = self.url_open(
            "/privacy/request/send",
            data={"name": "X", "email": "x@example.com", "kind": "access"},
        )
        self.assertEqual(response.status_code, 400)
