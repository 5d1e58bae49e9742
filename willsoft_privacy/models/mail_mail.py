# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailMail(models.Model):
    _inherit = "mail.mail"

    # Which purpose of processing a message is sent for: consent-based ones
    # are cancelled on withdrawal, bulletins go out on the contract.
    willsoft_privacy_processing_id = fields.Many2one(
        "willsoft.privacy.processing",
        string="Purpose of processing",
        index="btree_not_null",
        ondelete="set null",
    )
