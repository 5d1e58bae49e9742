# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def load_languages(env, *codes):
    """Activate languages and load the terms of this addon (and of the
    frontend it shows) for them, as installing a language does."""
    for code in codes:
        env["res.lang"]._activate_lang(code)
    env["ir.module.module"]._load_module_terms(
        ["base", "web", "portal", "willsoft_privacy"], list(codes), overwrite=True
    )
