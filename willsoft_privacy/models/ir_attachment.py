# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.sql import create_index

OFFICER = "willsoft_privacy.group_privacy_officer"


class IrAttachment(models.Model):
    """A person's export is a full copy of their data: privacy officers open
    it in the backend, the person through the tokened link (which reads it in
    sudo after checking the token). Core lets whoever reads the request read
    its attachments; for exports that is too wide."""

    _inherit = "ir.attachment"

    def init(self):
        res = super().init()
        # Deleting an attachment makes PostgreSQL look for the copies made
        # from it (``original_id``, an image's resized versions), which core
        # does not index: one read of all the attachments per deleted one,
        # as the erasure deletes a person's files.
        create_index(
            self.env.cr,
            "willsoft_privacy_ir_attachment_original_id_index",
            self._table,
            ["original_id"],
            where="original_id IS NOT NULL",
        )
        return res

    @api.model
    def _privacy_export_sql(self, alias):
        """True for the rows of ``alias`` that are a request's export."""
        return SQL(
            """EXISTS (
                SELECT 1 FROM willsoft_privacy_request export_request
                 WHERE %(id)s IN (
                           export_request.export_attachment_id,
                           export_request.export_csv_attachment_id,
                           export_request.export_pdf_attachment_id
                       )
            )""",
            id=SQL.identifier(alias, "id"),
        )

    @api.model
    def _privacy_reads_exports(self):
        return self.env.su or self.env.user.has_group(OFFICER)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        query = super()._search(domain, offset, limit, order)
        if not self._privacy_reads_exports():
            query.add_where(SQL("NOT %s", self._privacy_export_sql(query.table)))
        return query

    def _check_access(self, operation):
        result = super()._check_access(operation)
        ids = tuple(id_ for id_ in self._ids if isinstance(id_, int))
        if result or not ids or self._privacy_reads_exports():
            return result
        self.env["willsoft.privacy.request"].flush_model(
            [
                "export_attachment_id",
                "export_csv_attachment_id",
                "export_pdf_attachment_id",
            ]
        )
        # SQL: the same predicate as _search, so that the search and the
        # access check agree; one query however many ids are checked.
        rows = self.env.execute_query(
            SQL(
                "SELECT ir_attachment.id FROM ir_attachment WHERE id IN %s AND %s",
                ids,
                self._privacy_export_sql("ir_attachment"),
            )
        )
        if not rows:
            return None
        forbidden = self.browse(row[0] for row in rows)

        def make_error():
            return AccessError(
                self.env._(
                    "Only privacy officers can open a person's export. The "
                    "person downloads it with the link we sent them."
                )
            )

        return forbidden, make_error
