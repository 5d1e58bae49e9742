# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _serve_fallback(cls):
        # A path that matched no route (``/privacy/consent/subscribe/%00``) is
        # looked up as an attachment URL, and PostgreSQL refuses a NUL in
        # text with a server error: nothing is served there, so say 404.
        if "\x00" in request.httprequest.path:
            return None
        return super()._serve_fallback()
