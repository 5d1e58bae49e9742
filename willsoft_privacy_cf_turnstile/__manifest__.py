# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Willsoft Privacy: Cloudflare Turnstile",
    "summary": "Tests only: the public privacy forms with Odoo's Cloudflare Turnstile "
    "addon installed",
    "version": "18.0.1.0.0",
    "category": "Productivity/Privacy",
    "website": "https://www.willsoft.fi",
    "author": "Willsoft Oy",
    "license": "LGPL-3",
    "depends": ["website_cf_turnstile", "willsoft_privacy"],
}
