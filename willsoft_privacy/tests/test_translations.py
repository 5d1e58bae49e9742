# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import polib

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

LANGUAGES = ("fi", "sv")


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """Every user-facing term of the addon is translated into Finnish and
    Swedish: a term added without its translations fails here."""

    def test_every_term_is_translated(self):
        reader = TranslationModuleReader(self.env.cr, modules=["willsoft_privacy"])
        terms = {source for _module, _type, _name, _res, source, _value, _c in reader}
        self.assertGreater(len(terms), 50)
        # Odoo merges each .po with the .pot when it loads it, and drops the
        # entries the .pot lacks: a stale .pot loses translations silently.
        template = polib.pofile(file_path("willsoft_privacy/i18n/willsoft_privacy.pot"))
        stale = sorted(terms - {entry.msgid for entry in template})
        self.assertFalse(
            stale,
            f"willsoft_privacy.pot lacks {len(stale)} term(s): export it again "
            f"(docs/translations.md): {stale[:10]}",
        )
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                po = polib.pofile(file_path(f"willsoft_privacy/i18n/{lang}.po"))
                translated = {
                    entry.msgid
                    for entry in po
                    if entry.msgstr
                    and not entry.obsolete
                    and "fuzzy" not in entry.flags
                }
                missing = sorted(terms - translated)
                self.assertFalse(
                    missing,
                    f"{len(missing)} term(s) lack a {lang} translation: run the i18n "
                    f"export and translate them: {missing[:10]}",
                )

    def test_translations_keep_their_placeholders(self):
        for lang in LANGUAGES:
            po = polib.pofile(file_path(f"willsoft_privacy/i18n/{lang}.po"))
            for entry in po:
                if not entry.msgstr:
                    continue
                with self.subTest(lang=lang, msgid=entry.msgid[:40]):
                    for placeholder in ("%s", "%(", "{{"):
                        self.assertEqual(
                            entry.msgid.count(placeholder),
                            entry.msgstr.count(placeholder),
                        )

    def test_finnish_and_swedish_users_read_their_language(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Kieli Oy",
                "is_company": True,
                "privacy_relationship_start": "2024-05-01",
            }
        )
        expected = {
            "fi_FI": "asiakassuhde ei voi päättyä",
            "sv_SE": "kundförhållandet",
        }
        for lang, words in expected.items():
            self.env["res.lang"]._activate_lang(lang)
            self.env["ir.module.module"]._load_module_terms(
                ["willsoft_privacy"], [lang]
            )
            with self.subTest(lang=lang):
                with self.assertRaises(ValidationError) as refused:
                    partner.with_context(
                        lang=lang
                    ).privacy_relationship_end = "2024-04-30"
                self.assertIn(words, str(refused.exception))
                action = self.env.ref(
                    "willsoft_privacy.res_partner_action_privacy_register"
                )
                self.assertNotEqual(
                    action.with_context(lang=lang).name, "Privacy register"
                )
