# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import io

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestExportCsv(TransactionCase):
    """A value that a spreadsheet would run as a formula is written as text."""

    def test_formula_cells_are_text(self):
        person = self.env["res.partner"].create(
            {
                "name": '=HYPERLINK("http://evil.example","Click")',
                "email": "formula@example.com",
                "function": "@SUM(A1:A9)",
                "street": "-2+3",
                "city": "Lapua",
            }
        )
        request = self.env["willsoft.privacy.request"].create(
            {"partner_id": person.id, "kind": "access"}
        )
        request.action_start()
        request.action_prepare_export()
        rows = list(
            csv.reader(
                io.StringIO(request.export_csv_attachment_id.raw.decode("utf-8-sig"))
            )
        )
        values = {
            row[2]: row[3] for row in rows if row[:2] == ["partner", str(person.id)]
        }
        self.assertEqual(values["name"], '\'=HYPERLINK("http://evil.example","Click")')
        self.assertEqual(values["function"], "'@SUM(A1:A9)")
        self.assertEqual(values["street"], "'-2+3")
        self.assertEqual(values["city"], "Lapua")
        # The JSON copy keeps the value as it is.
        self.assertIn(b'"=HYPERLINK', request.export_attachment_id.raw)
