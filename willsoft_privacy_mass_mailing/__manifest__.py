# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Willsoft Privacy: Email Marketing",
    "summary": "Mailing contacts and mailing traces in the personal-data map; "
    "lists and mailings sent on a purpose of the register; a withdrawn email "
    "consent stops them and erases what they hold about the person",
    "version": "18.0.1.1.0",
    "category": "Productivity/Privacy",
    "website": "https://www.willsoft.fi",
    "author": "Willsoft Oy",
    "license": "LGPL-3",
    "depends": ["mass_mailing", "willsoft_privacy"],
    "data": [
        "security/ir.model.access.csv",
        "views/mailing_list_views.xml",
        "views/mailing_mailing_views.xml",
    ],
    "demo": ["demo/mailing_list_demo.xml"],
    "auto_install": True,
}
