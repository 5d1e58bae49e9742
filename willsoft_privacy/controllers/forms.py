# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every public form of the addon does to its input first."""

from odoo.http import request

# Longer than any field of the forms needs (the description is the longest);
# a bigger value is cut, not stored.
MAX_LENGTH = 5000


def clean(value, max_length=MAX_LENGTH):
    """A form value as text: repeated keys and files dropped, NUL characters
    (which PostgreSQL refuses in text) removed, length bounded."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "")[:max_length]


def form_values(post, keys, max_length=MAX_LENGTH):
    """The whitelisted ``keys`` of ``post`` that were sent, cleaned."""
    return {key: clean(post[key], max_length) for key in keys if key in post}


# PostgreSQL's integer: a bigger id in a URL is no record, not a server error.
MAX_ID = 2**31 - 1


def valid_id(value):
    return isinstance(value, int) and 0 < value <= MAX_ID


def captcha_ok(action):
    """Odoo's captcha hook, when a captcha addon (google_recaptcha,
    website_cf_turnstile) provides it; without one there is nothing to
    check. The addons raise their own errors for a wrong answer."""
    ir_http = request.env["ir.http"]
    if not hasattr(ir_http, "_verify_request_recaptcha_token"):
        return True
    return ir_http._verify_request_recaptcha_token(action)
