# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Willsoft Privacy: Website Newsletter",
    "summary": "The website's newsletter sign-up asks for consent by double "
    "opt-in: recorded in the consent ledger, subscribed only once the person "
    "confirms with the link in the mail",
    "version": "18.0.1.0.0",
    "category": "Productivity/Privacy",
    "website": "https://www.willsoft.fi",
    "author": "Willsoft Oy",
    "license": "LGPL-3",
    "depends": ["website_mass_mailing", "willsoft_privacy_mass_mailing"],
    "data": [
        "views/mailing_contact_views.xml",
        "views/mailing_subscription_views.xml",
    ],
    "auto_install": True,
}
