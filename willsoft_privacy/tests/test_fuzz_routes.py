# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random
from urllib.parse import quote

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PortalPages

# Malformed ids, tokens, dates, texts and encodings, with a few valid-looking
# ones so that the routes get past their first check now and then.
IDS = [
    "0",
    "-1",
    "1",
    "2",
    "2147483648",
    "99999999999999999999",
    "abc",
    "١٢",
    "1.5",
    "%00",
    "%ff",
    "",
    "1;DROP TABLE res_partner",
]
TOKENS = [
    "",
    "x",
    "é" * 64,
    "😀",
    "a" * 3000,
    "%ff%fe",
    "0" * 64,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\u202e\u0000",
]
TEXTS = [
    "",
    "a" * 6000,
    "é",
    "\x00",
    "%",
    "=cmd|' /C calc'!A0",
    "<img src=x onerror=alert(1)>",
    "😀" * 50,
    "null",
    "[]",
]
DATES = ["", "2026-13-45", "0000-00-00", "9999999999", "yesterday", "-1", "1e99"]
EMAILS = ["", "not-an-email", "a@b", "fuzz@fuzz.example", "é@é.example", "x" * 300]
KINDS = ["access", "erasure", "objection", "consent", "nope", ""]
CHANNELS = ["email", "sms", "phone", "post", "fax", "é"]
ACTIONS = ["given", "withdrawn", "requested", "é", ""]
FORMATS = ["json", "csv", "pdf", "exe", "é"]
# Tables a refused request must leave alone, and the columns that say so
# (attempt counters of codes are left out: counting a wrong code is the
# point of refusing it).
SNAPSHOT = {
    "res_partner": "id, name, email, active, privacy_email_proven",
    "willsoft_privacy_request": "id, state, partner_id, kind, description",
    "willsoft_privacy_consent_event": "id",
    "willsoft_privacy_request_verification": "id, request_id",
    "willsoft_privacy_email_confirmation": "id, done",
    "mail_blacklist": "id, email, active",
    "mail_mail": "id",
}


@tagged("post_install", "-at_install")
class TestFuzzRoutes(PortalPages, HttpCase):
    """Generated requests on every route of the addon, anonymous and logged
    in: no answer is a server error, and a refused one changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env,
            login="fuzz_portal",
            password="fuzz_portal_pw",
            groups="base.group_portal",
            name="Fuzz Portal",
            email="fuzz.portal@fuzz.example",
        )
        cls.employee = new_test_user(
            cls.env,
            login="fuzz_employee",
            password="fuzz_employee_pw",
            groups="base.group_user",
            name="Fuzz Employee",
        )
        cls.env["willsoft.privacy.request"].create(
            {"partner_id": cls.portal.partner_id.id, "kind": "access"}
        )

    def snapshot(self):
        self.env.flush_all()
        state = {}
        for table, columns in SNAPSHOT.items():
            self.env.cr.execute(
                f"SELECT md5(string_agg(row({columns})::text, ',' ORDER BY id)) "  # noqa: S608
                f"FROM {table}"
            )
            state[table] = self.env.cr.fetchone()[0]
        return state

    def routes(self, rng):
        """(method, url, data) for one generated request."""
        pick = rng.choice
        routes = [
            lambda: ("GET", f"/my/privacy?consent_done={pick(TEXTS)}", None),
            lambda: (
                "POST",
                "/my/privacy/consent",
                {
                    "purpose_id": pick(IDS),
                    "channel": pick(CHANNELS),
                    "action": pick(ACTIONS),
                    "notice_id": pick(IDS),
                },
            ),
            lambda: ("POST", "/my/privacy/email/send", {}),
            lambda: ("POST", "/my/privacy/email/confirm", {"code": pick(TEXTS)}),
            lambda: (
                "POST",
                "/my/privacy/request/new",
                {
                    "kind": pick(KINDS),
                    "description": pick(TEXTS),
                    "rect_email": pick(EMAILS),
                    "rect_country_id": pick(IDS),
                    "rect_lang": pick(TEXTS),
                    "notice_id": pick(IDS),
                },
            ),
            lambda: (
                "GET",
                f"/my/privacy/request/{pick(IDS)}?access_token={quote(pick(TOKENS))}",
                None,
            ),
            lambda: (
                "GET",
                f"/my/privacy/export/{pick(IDS)}/{pick(FORMATS)}/{pick(TOKENS)}",
                None,
            ),
            lambda: (
                pick(["GET", "POST"]),
                f"/privacy/consent/{pick(['confirm', 'withdraw', 'other'])}",
                {
                    "partner_id": pick(IDS),
                    "purpose_id": pick(IDS),
                    "channel": pick(CHANNELS),
                    "expiry": pick(DATES),
                    "token": pick(TOKENS),
                    "lang": pick(["fi_FI", "xx", "é", ""]),
                },
            ),
            lambda: (
                pick(["GET", "POST"]),
                f"/privacy/consent/subscribe/{pick(IDS)}",
                {"name": pick(TEXTS), "email": pick(EMAILS), "lang": pick(TEXTS)},
            ),
            lambda: ("GET", f"/privacy/notice/{pick(IDS)}?lang={pick(TEXTS)}", None),
            lambda: ("GET", "/privacy/notice", None),
            lambda: ("GET", "/privacy/request", None),
            lambda: (
                "POST",
                "/privacy/request/send",
                {
                    "name": pick(TEXTS),
                    "email": pick(EMAILS),
                    "kind": pick(KINDS),
                    "description": pick(TEXTS),
                    "notice_id": pick(IDS),
                },
            ),
            lambda: ("POST", "/privacy/request/confirm", {"code": pick(TEXTS)}),
        ]
        return pick(routes)()

    def send(self, rng, csrf):
        method, url, data = self.routes(rng)
        if method == "GET":
            if data:
                url += ("&" if "?" in url else "?") + "&".join(
                    f"{key}={quote(str(value))}" for key, value in data.items()
                )
            return url, self.url_open(url, allow_redirects=False, timeout=60)
        data = dict(data or {})
        # Mostly with the session's CSRF token, sometimes without or wrong.
        token = rng.choice([csrf, csrf, csrf, "", "é"])
        if token:
            data["csrf_token"] = token
        return url, self.url_open(url, data=data, allow_redirects=False, timeout=60)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_http", "werkzeug")
    def test_generated_requests(self):
        rng = random.Random(20260101)
        actors = [
            (None, None, "/privacy/request"),
            ("fuzz_portal", "fuzz_portal_pw", "/my/privacy"),
            ("fuzz_employee", "fuzz_employee_pw", "/my/home"),
        ]
        sent = 0
        for login, password, page in actors:
            self.authenticate(login, password)
            csrf = self.csrf(default="", url=page)
            for _i in range(350):
                before = self.snapshot()
                url, response = self.send(rng, csrf)
                sent += 1
                self.assertLess(response.status_code, 500, f"{login}: {url[:200]}")
                refused = response.status_code >= 400 or (
                    'class="alert alert-danger"' in response.text
                )
                if refused:
                    self.assertEqual(
                        self.snapshot(), before, f"{login}: {url[:200]} changed data"
                    )
        self.assertGreaterEqual(sent, 1000)

    def test_non_ascii_tokens_answer_4xx(self):
        request = self.env["willsoft.privacy.request"].search([], limit=1)
        for url in (
            f"/my/privacy/export/{request.id}/json/{'é' * 64}",
            f"/privacy/consent/withdraw?partner_id=1&purpose_id=1&channel=email"
            f"&expiry=0&token={quote('é' * 64)}",
            f"/privacy/consent/confirm?partner_id=1&purpose_id=1&channel=é"
            f"&expiry=0&token={quote('ü' * 64)}",
        ):
            with mute_logger("odoo.http", "werkzeug"):
                response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), url)
