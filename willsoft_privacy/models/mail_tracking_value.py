# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from .willsoft_privacy_erasure_check import create_trigram_indexes


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def init(self):
        res = super().init()
        # The change history keeps old addresses and names as typed: the
        # erasure check searches it through trigram indexes.
        create_trigram_indexes(self)
        return res
