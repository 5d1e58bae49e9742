# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

INVOICE_TYPES = ("out_invoice", "out_refund", "in_invoice", "in_refund")


class WillsoftPrivacyDataMap(models.AbstractModel):
    """The person's invoices, credit notes and payments, for the copy of
    their data (GDPR Art. 15). They are accounting vouchers: the erasure
    leaves them as they are (the buyer data on them is the partner's, which
    the partner handler restricts and later anonymises)."""

    _inherit = "willsoft.privacy.data.map"

    @api.model
    def _privacy_handlers(self):
        handlers = super()._privacy_handlers()
        return self._privacy_insert_handlers(
            handlers,
            "consents",
            [
                {
                    "kind": "invoices",
                    "label": self.env._("Invoices and credit notes"),
                    "category": "accounting",
                    "model": "account.move",
                    "fields": {
                        "number": "name",
                        "type": "move_type",
                        "date": "invoice_date",
                        "due": "invoice_date_due",
                        "total": "amount_total",
                        "unpaid": "amount_residual",
                        "currency": "currency_id",
                        "payment": "payment_state",
                    },
                },
                {
                    "kind": "payments",
                    "label": self.env._("Payments"),
                    "category": "accounting",
                    "model": "account.payment",
                    "fields": {
                        "number": "name",
                        "type": "payment_type",
                        "currency": "currency_id",
                    },
                },
            ],
        )

    # Handler: invoices and credit notes

    @api.model
    def _privacy_invoices_find(self, plan):
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", plan["partners"].ids),
                    ("move_type", "in", INVOICE_TYPES),
                    ("state", "=", "posted"),
                ],
                order="invoice_date, id",
            )
        )

    @api.model
    def _privacy_invoices_export(self, records, plan):
        return [
            {
                "id": move.id,
                "number": move.name,
                "type": move.move_type,
                "date": fields.Date.to_string(move.invoice_date),
                "due": fields.Date.to_string(move.invoice_date_due),
                "total": move.amount_total,
                "unpaid": move.amount_residual,
                "currency": move.currency_id.name,
                "payment": move.payment_state,
            }
            for move in records
        ]

    @api.model
    def _privacy_invoices_held(self, records, plan):
        return self._privacy_vouchers_held(records, "date", plan)

    @api.model
    def _privacy_invoices_erase(self, records, plan):
        return 0

    @api.model
    def _privacy_invoices_left(self, records, plan):
        # A voucher names the person only through the partner record.
        return records.browse()

    # Handler: payments

    @api.model
    def _privacy_payments_find(self, plan):
        return (
            self.env["account.payment"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", plan["partners"].ids),
                    ("state", "not in", ("draft", "canceled")),
                ],
                order="date, id",
            )
        )

    @api.model
    def _privacy_payments_export(self, records, plan):
        return [
            {
                "id": payment.id,
                "number": payment.name,
                "type": payment.payment_type,
                "date": fields.Date.to_string(payment.date),
                "amount": payment.amount,
                "currency": payment.currency_id.name,
                "state": payment.state,
            }
            for payment in records
        ]

    @api.model
    def _privacy_payments_held(self, records, plan):
        return self._privacy_vouchers_held(records, "date", plan)

    @api.model
    def _privacy_payments_erase(self, records, plan):
        return 0

    @api.model
    def _privacy_payments_left(self, records, plan):
        return records.browse()

    @api.model
    def _privacy_vouchers_held(self, records, date_field, plan):
        """Vouchers within their period; past it they stay in the books, but
        the partner they name is anonymised."""
        ends = self._privacy_voucher_ends(records, date_field, plan["today"])
        return {
            voucher_id: self.env._(
                "An accounting voucher, kept until %(date)s (Accounting Act 2:10).",
                date=fields.Date.to_string(end),
            )
            for voucher_id, end in ends.items()
        }
