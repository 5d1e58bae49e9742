# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools.sql import create_index

from .willsoft_privacy_erasure_check import create_trigram_indexes


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def init(self):
        res = super().init()
        # The change history keeps old addresses and names as typed: the
        # erasure check searches it through trigram indexes.
        create_trigram_indexes(self)
        # The personal-data map finds a person's tracked changes by their
        # former values and by their partner id in a changed many2one (each
        # batch of the retention run, each line of its dry run): core
        # indexes none of these columns, so each find read the whole
        # history. Hash for the texts: equality is all the find asks, and a
        # btree refuses values longer than about 2,700 bytes.
        for column, method in (
            ("old_value_char", "hash"),
            ("new_value_char", "hash"),
            ("old_value_integer", "btree"),
            ("new_value_integer", "btree"),
        ):
            create_index(
                self.env.cr,
                f"willsoft_privacy_mail_tracking_value_{column}_index",
                self._table,
                [column],
                method=method,
                where=f"{column} IS NOT NULL",
            )
        return res
