# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checks of the readable export shared by the addon and its bridges."""

LANGS = ("en_US", "fi_FI", "sv_SE")


def assert_every_key_labelled(case, export, kinds):
    """Each of ``kinds`` has records in ``export``, and every key of every
    record reads as words in English, Finnish and Swedish: the readable copy
    never shows a raw key."""
    data_map = case.env["willsoft.privacy.data.map"]
    for lang in LANGS:
        case.env["res.lang"]._activate_lang(lang)
    for kind in kinds:
        case.assertTrue(export[kind]["records"], f"no {kind} to check")
    for lang in LANGS:
        labels, _values = data_map.with_context(lang=lang)._privacy_export_labels()
        for kind in kinds:
            for record in export[kind]["records"]:
                for key, value in record.items():
                    case.assertIn(key, labels[kind], f"{kind}.{key} ({lang})")
                    case.assertNotEqual(labels[kind][key], key, f"{kind}.{key}")
                    for item in value if isinstance(value, list) else ():
                        for nested in item if isinstance(item, dict) else ():
                            case.assertIn(nested, labels[kind], f"{kind}.{nested}")
        # Every value reads as text in the language, nested rows too.
        readable = data_map.with_context(lang=lang)._privacy_readable(
            {kind: export[kind] for kind in kinds}
        )
        for section in readable:
            for record in section["records"]:
                for label, text in record:
                    case.assertIsInstance(text, str, f"{section['kind']}.{label}")


def render_export(case, request):
    """The readable copy of ``request``'s export, as text (HTML while
    testing)."""
    request._privacy_make_export()
    return request.export_pdf_attachment_id.raw.decode()
