# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PrivacyCommon, load_languages


@tagged("post_install", "-at_install")
class TestNotice(PrivacyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_languages(cls.env, "fi_FI", "sv_SE")
        cls.Notice = cls.env["willsoft.privacy.notice"]
        cls.original = cls.env.ref("willsoft_privacy.notice_2018")
        cls.main = cls.original.sudo().company_id
        # The notice is the main company's: the test users work in it too.
        for user in cls.env.user | cls.plain_user | cls.privacy_user | cls.officer:
            user.company_ids |= cls.main
        # Start from the published original alone (the demo adds a draft).
        cls.env["willsoft.privacy.notice"].sudo().search(
            [("state", "=", "draft"), ("id", "!=", cls.original.id)]
        ).unlink()

    def test_original_is_version_one_published_in_2018(self):
        self.assertEqual(self.original.version, 1)
        self.assertEqual(self.original.state, "published")
        self.assertEqual(self.original.publish_date, date(2018, 4, 5))
        self.assertEqual(self.Notice._current(self.main), self.original)
        self.assertEqual(len(self.original.section_ids), 12)
        fi = self.original.with_context(lang="fi_FI")
        self.assertEqual(fi.title, "Willsoft Oy:n asiakasrekisterin tietosuojaseloste")
        self.assertEqual(
            fi.section_ids.mapped("title")[:3],
            ["Rekisterinpitäjä", "Yhteyshenkilön yhteystiedot", "Rekisterin nimi"],
        )
        self.assertIn(
            "kirjanpitolain mukaisesti kuusi vuotta",
            fi.section_ids.filtered(lambda s: s.number == 10).body,
        )
        sv = self.original.with_context(lang="sv_SE").section_ids[0]
        self.assertEqual(sv.title, "Personuppgiftsansvarig")

    def test_published_version_is_frozen(self):
        section = self.original.section_ids[0]
        for user in (self.officer, self.env.ref("base.user_admin")):
            notice = self.original.with_user(user)
            with self.assertRaisesRegex(UserError, "cannot be changed or deleted"):
                notice.title = "Changed"
            with self.assertRaisesRegex(UserError, "cannot be changed or deleted"):
                notice.section_ids[0].body = "Changed"
            with self.assertRaisesRegex(UserError, "cannot be changed or deleted"):
                notice.section_ids[0].unlink()
            with self.assertRaisesRegex(UserError, "cannot be changed or deleted"):
                notice.unlink()
            with self.assertRaisesRegex(UserError, "cannot be changed or deleted"):
                self.env["willsoft.privacy.notice.section"].with_user(user).create(
                    {"notice_id": notice.id, "number": 13, "title": "Extra"}
                )
        self.assertIn("Willsoft Oy", section.body)
        self.assertEqual(len(self.original.section_ids), 12)
        # The error is translated for a Finnish officer.
        with self.assertRaisesRegex(UserError, "Julkaistua tietosuojaselostetta"):
            self.original.with_user(self.officer).with_context(lang="fi_FI").unlink()

    def test_privacy_user_reads_but_cannot_publish(self):
        self.assertEqual(self.original.with_user(self.privacy_user).version, 1)
        with self.assertRaises(AccessError):
            self.Notice.with_user(self.privacy_user).create({})

    @freeze_time("2026-03-02")
    def test_new_version_generated_from_register_and_settings(self):
        self.main.write(
            {"privacy_grace_months": 4, "privacy_contact_name": "Maija Meikäläinen"}
        )
        action = self.original.with_user(self.officer).action_new_version()
        draft = self.Notice.browse(action["res_id"])
        self.assertEqual(draft.version, 2)
        self.assertEqual(draft.state, "draft")
        self.assertEqual(
            draft.with_context(lang="fi_FI").title,
            "Willsoft Oy:n asiakasrekisterin tietosuojaseloste",
        )
        self.assertEqual(
            self.Notice._current(self.main), self.original, "a draft is not shown"
        )
        self.assertEqual(len(draft.section_ids), 12)

        def body(notice, number, lang):
            sections = notice.with_context(lang=lang).section_ids
            return sections.filtered(lambda s: s.number == number).body

        self.assertIn("Maija Meikäläinen", body(draft, 2, "en_US"))
        self.assertIn(
            "Marketing communication (legal basis: consent)", body(draft, 4, "en_US")
        )
        self.assertIn(
            "Markkinointiviestintä (oikeusperuste: suostumus)", body(draft, 4, "fi_FI")
        )
        self.assertIn("Marknadsföringskommunikation", body(draft, 4, "sv_SE"))
        self.assertIn(
            "4 months after the customer relationship", body(draft, 10, "en_US")
        )
        self.assertIn("viimeistään 4 kuukauden", body(draft, 10, "fi_FI"))
        self.assertIn("senast 4 månader", body(draft, 10, "sv_SE"))
        self.assertIn("Y-tunnus: 0856972-8", body(draft, 1, "fi_FI"))
        self.assertEqual(
            draft.with_context(lang="fi_FI").section_ids[7].title,
            "Tietojen siirto EU:n tai ETA:n ulkopuolelle",
        )

        draft.with_user(self.officer).action_publish()
        self.assertEqual(draft.publish_date, date(2026, 3, 2))
        self.assertEqual(self.Notice._current(self.main), draft)
        self.assertFalse(self.original.is_current)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            draft.with_user(self.officer).action_generate()

    def test_cannot_publish_an_empty_draft(self):
        draft = self.Notice.with_user(self.officer).create({"company_id": self.main.id})
        with self.assertRaisesRegex(UserError, "sections before publishing"):
            draft.action_publish()
        self.assertEqual(draft.state, "draft")
