# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools.sql import create_index


class AccountMove(models.Model):
    _inherit = "account.move"

    def init(self):
        res = super().init()
        # The retention run and the dry run look up the entries of each
        # batch's partners as buyer and delivery address (the accounting
        # hold), and delete the bank accounts of those it erases (PostgreSQL
        # then looks for entries that still refer to each): core indexes
        # none of these columns, so each lookup read every journal entry.
        # Deleting an attachment (an erased person's files, an invoice's
        # stored PDF after its period) makes PostgreSQL clear every entry
        # whose main attachment it was: without an index on that column,
        # one read of all the entries per attachment (56 ms each on the
        # million's register).
        # Made here rather than as index="btree_not_null" on the fields:
        # redefining core's fields makes their labels and help terms of this
        # addon, to be translated again in its own .po files.
        for column in (
            "commercial_partner_id",
            "partner_shipping_id",
            "partner_bank_id",
            "message_main_attachment_id",
        ):
            create_index(
                self.env.cr,
                f"willsoft_privacy_account_move_{column}_index",
                self._table,
                [column],
                where=f"{column} IS NOT NULL",
            )
        return res

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        sales = posted.filtered(lambda m: m.is_sale_document(include_receipts=True))
        # The buyer of a posted sale is a customer, since its first invoice.
        # sudo: the accountant posting it may not edit partners, and the
        # partners are the buyers of the moves just posted.
        for buyer in sales.commercial_partner_id:
            first = min(
                sales.filtered(lambda m, b=buyer: m.commercial_partner_id == b).mapped(
                    "invoice_date"
                )
            )
            buyer.sudo()._privacy_mark_customers(first)
        # An invoice dated after the relationship ended: the customer came
        # back. Read from the buyers already loaded: no query unless so.
        invoices = posted.filtered(lambda m: m.move_type == "out_invoice")
        for buyer in invoices.commercial_partner_id.filtered(
            lambda p: p.privacy_relationship_end and p.privacy_stage == "none"
        ):
            last = max(
                invoices.filtered(
                    lambda m, b=buyer: m.commercial_partner_id == b
                ).mapped("invoice_date")
            )
            if last > buyer.privacy_relationship_end:
                buyer.sudo()._privacy_reopen_relationship(last)
        return posted
