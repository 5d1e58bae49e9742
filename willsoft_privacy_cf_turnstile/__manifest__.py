# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Willsoft Privacy: Captcha Tests",
    "summary": "Tests only: the public privacy forms with Odoo's captcha addons "
    "installed (Cloudflare Turnstile, Google reCAPTCHA)",
    "version": "18.0.1.0.1",
    "category": "Productivity/Privacy",
    "website": "https://www.willsoft.fi",
    "author": "Willsoft Oy",
    "license": "LGPL-3",
    "depends": ["google_recaptcha", "website_cf_turnstile", "willsoft_privacy"],
}
