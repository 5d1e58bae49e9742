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

    def _addons(self):
        """This addon and the bridges installed with it: each has its own
        i18n folder."""
        return (
            self.env["ir.module.module"]
            .search(
                [("name", "=like", "willsoft_privacy%"), ("state", "=", "installed")]
            )
            .mapped("name")
        )

    def test_every_term_is_translated(self):
        addons = self._addons()
        self.assertIn("willsoft_privacy", addons)
        for addon in addons:
            with self.subTest(addon=addon):
                self._check_addon_terms(addon)

    def _check_addon_terms(self, addon):
        reader = TranslationModuleReader(self.env.cr, modules=[addon])
        terms = {source for _module, _type, _name, _res, source, _value, _c in reader}
        if addon != "willsoft_privacy" and not terms:
            # A bridge that only holds tests (willsoft_privacy_cf_turnstile):
            # nothing to translate.
            return
        self.assertGreater(len(terms), 50 if addon == "willsoft_privacy" else 1)
        # Odoo merges each .po with the .pot when it loads it, and drops the
        # entries the .pot lacks: a stale .pot loses translations silently.
        template = polib.pofile(file_path(f"{addon}/i18n/{addon}.pot"))
        stale = sorted(terms - {entry.msgid for entry in template})
        self.assertFalse(
            stale,
            f"{addon}.pot lacks {len(stale)} term(s): export it again "
            f"(docs/translations.md): {stale[:10]}",
        )
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                po = polib.pofile(file_path(f"{addon}/i18n/{lang}.po"))
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
                    f"{len(missing)} term(s) of {addon} lack a {lang} translation: "
                    f"run the i18n export and translate them: {missing[:10]}",
                )

    def test_translations_keep_their_placeholders(self):
        for addon in self._addons():
            for lang in LANGUAGES:
                self._check_placeholders(addon, lang)

    def _check_placeholders(self, addon, lang):
        po = polib.pofile(file_path(f"{addon}/i18n/{lang}.po"))
        for entry in po:
            if not entry.msgstr:
                continue
            with self.subTest(addon=addon, lang=lang, msgid=entry.msgid[:40]):
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
            "fi_FI": ("asiakassuhde ei voi päättyä", "Asiakasrekisteri"),
            "sv_SE": ("kundförhållandet", "Kundregister"),
        }
        for lang, (words, register) in expected.items():
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
                self.assertEqual(action.with_context(lang=lang).name, register)
