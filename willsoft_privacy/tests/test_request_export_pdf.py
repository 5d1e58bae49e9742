# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import subprocess
import tempfile
from pathlib import Path

from markupsafe import Markup

from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import load_languages

# A mail as the completion letters are stored: the layout's hidden preview,
# padded with zero-width characters, then the text in blocks.
LETTER = Markup(
    '<div style="display: none; font-size: 0px">Preview of the letter'
    + "&zwnj;&nbsp;" * 40
    + "</div><table><tr><td><div>Hello <b>Aino</b>,</div>"
    + "<ul><li>Purpose: Invoicing</li><li>Purpose: Accounting</li></ul>"
    + "<p>Kind regards</p></td></tr></table>"
)


@tagged("post_install", "-at_install")
class TestExportReadable(TransactionCase):
    """The readable copy prints a mail as the person read it, and records of
    a few fields as the rows of one table."""

    def test_mail_body_reads_as_text(self):
        person = self.env["res.partner"].create({"name": "Aino Ahonen"})
        person.message_post(body=LETTER, message_type="comment")
        data_map = self.env["willsoft.privacy.data.map"]
        export = data_map._export(person)
        section = next(s for s in data_map._readable(export) if s["kind"] == "messages")
        labels, _values = data_map._key_labels()
        body = labels["messages"]["body"]
        self.assertEqual(section["texts"], [body])
        self.assertNotIn(body, section["columns"])
        self.assertIn(labels["messages"]["date"], section["columns"])
        texts = [dict(record).get(body) for record in section["records"]]
        self.assertIn(
            "Hello *Aino*,\nPurpose: Invoicing\nPurpose: Accounting\nKind regards",
            texts,
        )
        # The JSON keeps the body as stored.
        self.assertIn(
            "<li>Purpose: Invoicing</li>",
            " ".join(record["body"] for record in export["messages"]["records"]),
        )

    def test_partner_prints_as_a_table_of_its_own(self):
        person = self.env["res.partner"].create(
            {
                "name": "Aino Ahonen",
                "email": "aino@example.com",
                "phone": "+358 40 123 4567",
                "street": "Kauppakatu 1",
                "city": "Lapua",
                "zip": "62100",
                "function": "Buyer",
                "website": "https://example.com",
            }
        )
        data_map = self.env["willsoft.privacy.data.map"]
        readable = data_map._readable(data_map._export(person))
        section = next(s for s in readable if s["kind"] == "partner")
        self.assertGreater(len(section["records"][0]), 6)
        self.assertEqual(section["columns"], [])


@tagged("post_install", "-at_install")
class TestExportPdf(HttpCase):
    """The export's PDF, printed by wkhtmltopdf: wkhtmltopdf fetches the
    report's styles over HTTP, which an HttpCase serves."""

    def test_pdf_in_finnish_has_text_and_stays_small(self):
        load_languages(self.env, "fi_FI")
        person = self.env["res.partner"].create(
            {"name": "Aino Ahonen", "email": "aino@example.com", "lang": "fi_FI"}
        )
        for number in range(30):
            person.message_post(
                body=Markup(f"<p>Note {number}</p>"), message_type="comment"
            )
        person.message_post(body=LETTER, message_type="comment")
        request = self.env["willsoft.privacy.request"].create(
            {"partner_id": person.id, "kind": "access"}
        )
        # wkhtmltopdf reports on stderr that this Qt build ignores the
        # header switches.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            request.with_context(force_report_rendering=True)._make_export()
        pdf = request.export_pdf_attachment_id.raw
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "export.pdf")
            path.write_bytes(pdf)
            text = subprocess.run(
                ["pdftotext", "-layout", str(path), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            pages = subprocess.run(
                ["pdfinfo", str(path)], check=True, capture_output=True, text=True
            ).stdout
        # Printed in an installed font, the text is text: a web font came
        # out as outlines, with nothing to find, copy or read aloud, and
        # 0.8 MB a page.
        self.assertIn("Tietosi asiakasrekisterissämme", text)
        self.assertIn("Rekisterinpitäjä", text)
        self.assertIn("Hello *Aino*,", text)
        self.assertIn("Note 29", text)
        self.assertNotIn("<li>", text)
        page_count = int(
            next(
                line for line in pages.splitlines() if line.startswith("Pages:")
            ).split()[1]
        )
        self.assertLess(len(pdf), 60_000 * page_count, f"{page_count} pages")
