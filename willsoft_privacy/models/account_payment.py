# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools.sql import create_index


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def init(self):
        res = super().init()
        # As on journal entries (account_move.py): deleting an erased
        # partner's bank account looks up the payments that refer to it.
        create_index(
            self.env.cr,
            "willsoft_privacy_account_payment_partner_bank_id_index",
            self._table,
            ["partner_bank_id"],
            where="partner_bank_id IS NOT NULL",
        )
        return res
