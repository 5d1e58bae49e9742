# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _privacy_clock_sources(self):
        """A logged-in visit to the website is contact. Core moves the
        visitor's last connection with raw SQL, so that is also what tells
        a visit since the last refresh."""
        return [
            *super()._privacy_clock_sources(),
            {
                "model": "website.visitor",
                "from": SQL("website_visitor src"),
                "person": SQL("src.partner_id"),
                "date": SQL("src.last_connection_datetime"),
                "where": None,
                "changed": SQL("src.last_connection_datetime"),
            },
        ]
