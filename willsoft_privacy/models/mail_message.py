# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from .willsoft_privacy_erasure_check import create_trigram_indexes


class MailMessage(models.Model):
    _inherit = "mail.message"

    def init(self):
        res = super().init()
        # The erasure check searches every body for erased people's addresses
        # and phone numbers: through trigram indexes, not by reading them all.
        create_trigram_indexes(self)
        return res
