# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Willsoft Privacy: Email Marketing",
    "summary": "Mailing contacts and mailing traces in the personal-data map; "
    "a withdrawn email consent opts the person out of every mailing list",
    "version": "18.0.1.0.0",
    "category": "Productivity/Privacy",
    "website": "https://www.willsoft.fi",
    "author": "Willsoft Oy",
    "license": "LGPL-3",
    "depends": ["mass_mailing", "willsoft_privacy"],
    "auto_install": True,
}
