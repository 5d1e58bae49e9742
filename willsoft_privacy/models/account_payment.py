# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    # As on journal entries (account_move.py): deleting an erased partner's
    # bank account looks up the payments that refer to it.
    partner_bank_id = fields.Many2one(index="btree_not_null")
