# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    privacy_bulletin = fields.Boolean(
        string="Critical usage bulletin",
        help="Offered in the bulletin wizard. A bulletin goes out on the "
        "customer contract: no advertising in it.",
    )
