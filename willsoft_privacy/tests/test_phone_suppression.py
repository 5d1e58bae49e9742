# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

# One Finnish mobile number, written four ways.
SPELLINGS = [
    "00358 40 123 4567",
    "+358 (0)40 123 4567",
    "040 123 4567",
    "+358 40 123 4567",
]


@tagged("post_install", "-at_install")
class TestPhoneSuppression(TransactionCase):
    """Phone numbers are keyed in E.164 through core's phone_validation, so an
    erased number is recognised however it is written again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Suppression = cls.env["willsoft.privacy.suppression"]
        cls.finland = cls.env.ref("base.fi")
        cls.sweden = cls.env.ref("base.se")
        # The register's home: national numbers without a partner are Finnish.
        cls.env.company.country_id = cls.finland

    def test_every_spelling_gives_one_key(self):
        keys = {
            value: self.Suppression._normalize(value, self.finland)
            for value in SPELLINGS
        }
        self.assertEqual(set(keys.values()), {("phone", "+358401234567")}, keys)

    def test_national_number_read_in_company_country_else_finland(self):
        self.env.company.country_id = self.sweden
        self.assertEqual(
            self.Suppression._normalize("08 123 456 78"),
            ("phone", "+46812345678"),
        )
        self.env.company.country_id = False
        self.assertEqual(
            self.Suppression._normalize("040 123 4567"),
            ("phone", "+358401234567"),
        )

    def test_suppressed_in_one_spelling_found_in_all(self):
        added = self.Suppression._suppress(["00358 40 123 4567"], country=self.finland)
        self.assertEqual(len(added), 1)
        found = self.Suppression._is_suppressed(SPELLINGS, country=self.finland)
        self.assertEqual(found, set(SPELLINGS))
        self.assertFalse(self.Suppression._is_suppressed(["040 765 4321"]))
        # The same number again adds nothing.
        self.assertFalse(self.Suppression._suppress(["+358 (0)40 123 4567"]))

    def test_partner_added_again_with_other_spelling_is_flagged(self):
        self.Suppression._suppress(["+358 40 123 4567"])
        partner = self.env["res.partner"].create(
            {
                "name": "Back Again",
                "mobile": "040 123 4567",
                "country_id": self.finland.id,
            }
        )
        partner._privacy_warn_suppressed()
        self.assertIn(
            "Erased person added again", partner.activity_ids.mapped("summary")
        )
        swede = self.env["res.partner"].create(
            {
                "name": "Other Person",
                "mobile": "040 123 4567",
                "country_id": self.sweden.id,
            }
        )
        swede._privacy_warn_suppressed()
        # In Sweden, 040 is Malmö: another number.
        self.assertFalse(swede.activity_ids)

    def test_legacy_entries_rehashed_where_the_number_is_known(self):
        """Entries of the old +358 rule: the number of a partner still in the
        database gets its E.164 key; a number known nowhere keeps its old key,
        which still matches the same digits."""
        Suppression = self.Suppression
        old_key = Suppression._legacy_key
        for number in ("00358 40 111 2222", "00358 40 333 4444"):
            digest = Suppression._digest(old_key(number))
            Suppression.sudo().create({"digest": digest, "kind": "phone"})
        # Before the rehash, another spelling of the first number is missed.
        self.assertFalse(Suppression._is_suppressed(["+358 40 111 2222"]))
        self.env["res.partner"].create(
            {"name": "Archived", "phone": "00358 40 111 2222", "active": False}
        )
        added = Suppression._rehash_legacy_phones()
        self.assertEqual(len(added), 1)
        self.assertEqual(
            Suppression._is_suppressed(
                [
                    "+358 40 111 2222",
                    "040 111 2222",
                    "00358 40 333 4444",
                    "040 333 4444",
                ]
            ),
            {"+358 40 111 2222", "040 111 2222", "00358 40 333 4444"},
        )
        self.assertFalse(Suppression._rehash_legacy_phones())

    def test_partner_without_country_checked_in_company_country(self):
        self.Suppression._suppress(["+358 40 123 4567"])
        partner = self.env["res.partner"].create(
            {"name": "No Country", "phone": "00358 40 123 4567"}
        )
        partner._privacy_warn_suppressed()
        self.assertIn(
            "Erased person added again", partner.activity_ids.mapped("summary")
        )
