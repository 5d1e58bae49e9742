# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from markupsafe import Markup

from odoo.tests import TransactionCase, tagged

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
        export = data_map._privacy_export(person)
        section = next(
            s for s in data_map._privacy_readable(export) if s["kind"] == "messages"
        )
        labels, _values = data_map._privacy_export_labels()
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
        readable = data_map._privacy_readable(data_map._privacy_export(person))
        section = next(s for s in readable if s["kind"] == "partner")
        self.assertGreater(len(section["records"][0]), 6)
        self.assertEqual(section["columns"], [])
