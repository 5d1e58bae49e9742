# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import load_languages


@tagged("post_install", "-at_install")
class TestNoticePage(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_languages(cls.env, "fi_FI", "sv_SE")
        cls.original = cls.env.ref("willsoft_privacy.notice_2018")
        # Start from the published original alone (the demo adds a draft).
        cls.env["willsoft.privacy.notice"].search(
            [("state", "=", "draft"), ("id", "!=", cls.original.id)]
        ).unlink()

    def _get(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def test_notice_in_three_languages(self):
        page = self._get("/privacy/notice?lang=fi_FI")
        self.assertIn("Willsoft Oy:n asiakasrekisterin tietosuojaseloste", page)
        self.assertIn("1. Rekisterinpitäjä", page)
        self.assertIn("Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.", page)
        self.assertIn("<li>Organisaation nimi ja yhteystiedot</li>", page)
        self.assertIn("05.04.2018", page)

        page = self._get("/privacy/notice?lang=sv_SE")
        self.assertIn("Dataskyddsbeskrivning för Willsoft Oy:s kundregister", page)
        self.assertIn("1. Personuppgiftsansvarig", page)
        self.assertNotIn("Rekisterinpitäjä", page)

        page = self._get("/privacy/notice?lang=en_US")
        self.assertIn("Privacy notice of Willsoft Oy&#39;s customer register", page)
        self.assertIn("12. Changes to this privacy notice", page)
        self.assertNotIn("Rekisterinpitäjä", page)

    def test_older_versions_listed_and_reachable(self):
        draft = self.env["willsoft.privacy.notice"].create({})
        draft._generate_sections()
        page = self._get("/privacy/notice")
        self.assertNotIn("<span>Version</span> 2", page, "a draft is not public")
        self.assertEqual(self.url_open(draft._public_url()).status_code, 404)

        draft.action_publish()
        page = self._get("/privacy/notice?lang=en_US")
        self.assertIn("<span>Version</span> 2", page)
        self.assertIn(f'href="{self.original._public_url()}"', page)
        old = self._get(self.original._public_url() + "?lang=fi_FI")
        self.assertIn("Tämä on tietosuojaselosteen aiempi versio.", old)
        self.assertIn("Pyrimme jatkuvasti kehittämään palvelujamme", old)
