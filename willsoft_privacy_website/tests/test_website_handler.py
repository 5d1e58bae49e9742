# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import RetentionCommon


@tagged("post_install", "-at_install")
class TestWebsiteHandler(RetentionCommon):
    @classmethod
    def make_visitor(cls, token, urls):
        """A visitor as core records it: a logged-in user's visitor has the
        partner's id as access token, an anonymous one a 32-character hash.
        Only the frontend creates them, as superuser."""
        page = cls.env["website.page"].search([("url", "=", "/contactus")], limit=1)
        visitor = (
            cls.env["website.visitor"]
            .sudo()
            .create(
                {
                    "access_token": token,
                    "website_id": cls.env["website"].get_current_website().id,
                    "country_id": cls.env.ref("base.fi").id,
                    "lang_id": cls.env.ref("base.lang_en").id,
                    "timezone": "Europe/Helsinki",
                }
            )
        )
        cls.env["website.track"].sudo().create(
            [
                {
                    "visitor_id": visitor.id,
                    "url": url,
                    "page_id": page.id if url == page.url else False,
                }
                for url in urls
            ]
        )
        return visitor.sudo(False)

    def test_visitors_and_page_views_are_exported_and_erased(self):
        customer, contact, _invoice = self.make_ended_customer("Verkko Oy")
        visitor = self.make_visitor(str(contact.id), ["/contactus", "/shop?q=lapua"])
        self.assertEqual(visitor.partner_id, contact)
        tracks = visitor.website_track_ids
        # Someone else's visitors: a logged-in other customer and an
        # anonymous visitor.
        _other_customer, other_contact = self.make_customer("Toinen Oy")
        other = self.make_visitor(str(other_contact.id), ["/contactus"])
        anonymous = self.make_visitor("0123456789abcdef0123456789abcdef", ["/"])

        export = self.data_map._export(contact)
        visitors = export["visitors"]["records"]
        self.assertEqual([row["id"] for row in visitors], [visitor.id])
        self.assertEqual(visitors[0]["country"], "Finland")
        self.assertEqual(visitors[0]["timezone"], "Europe/Helsinki")
        pages = export["page_views"]["records"]
        self.assertEqual(
            sorted(row["url"] for row in pages), ["/contactus", "/shop?q=lapua"]
        )
        self.assertEqual({row["visitor"] for row in pages}, {visitor.id})
        self.assertIn(
            "Contact Us", {row["page"] for row in pages if row["url"] == "/contactus"}
        )
        # The company's export holds the company's own data, not its contact
        # person's visits (they are the contact's to ask for).
        company_export = self.data_map._export(customer)
        self.assertFalse(company_export["page_views"]["records"])

        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        self.assertFalse(visitor.exists())
        self.assertFalse(tracks.exists())
        # No visitor is left whose access token points at the person.
        self.assertFalse(
            self.env["website.visitor"].search([("access_token", "=", str(contact.id))])
        )
        self.assertTrue(other.exists())
        self.assertEqual(len(other.website_track_ids), 1)
        self.assertTrue(anonymous.website_track_ids.exists())
        self.assertEqual(self.retention_logs("check").result, "ok")

    def test_my_privacy_counts_the_website_use(self):
        _customer, contact = self.make_customer("Sivu Oy")
        holdings = self.env["willsoft.privacy.request"]._portal_holdings
        website_card = holdings(contact)[3]
        self.assertIn("Use of our website", website_card["title"])
        self.assertEqual(website_card["items"], [], "nothing recorded yet")
        self.make_visitor(str(contact.id), ["/contactus", "/shop", "/"])
        self.assertEqual(
            holdings(contact)[3]["items"],
            [("Website page views", 3), ("Website visitors", 1)],
        )
        contacts_card = holdings(contact)[2]
        self.assertNotIn("Website visitors", dict(contacts_card["items"]))

    def test_a_batch_is_found_in_as_many_queries_as_one_person(self):
        contacts = self.env["res.partner"]
        visitors = self.env["website.visitor"]
        for name in ("Eka Oy", "Toka Oy", "Kolmas Oy"):
            _customer, contact = self.make_customer(name)
            contacts |= contact
            visitors |= self.make_visitor(str(contact.id), ["/", "/contactus"])

        def find(partners):
            plan = {"partners": partners}
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            found = (
                self.data_map._find_visitors(plan),
                self.data_map._find_page_views(plan),
            )
            return found, self.env.cr.sql_log_count - before

        (one_visitor, one_tracks), one_queries = find(contacts[0])
        (all_visitors, all_tracks), all_queries = find(contacts)
        self.assertEqual(one_visitor, visitors[0])
        self.assertEqual(all_visitors, visitors)
        self.assertEqual(len(one_tracks), 2)
        self.assertEqual(all_tracks, visitors.website_track_ids)
        self.assertTrue(one_queries)
        self.assertEqual(all_queries, one_queries)

    def test_the_readable_export_has_a_word_for_every_key(self):
        _customer, contact = self.make_customer("Sanat Oy")
        self.make_visitor(str(contact.id), ["/contactus"])
        export = self.data_map._export(contact)
        keys = {
            key
            for kind in ("visitors", "page_views")
            for row in export[kind]["records"]
            for key in row
        }
        labels, value_labels = self.data_map._key_labels()
        for kind in ("visitors", "page_views"):
            self.assertEqual(
                {key for row in export[kind]["records"] for key in row}
                - set(labels[kind]),
                set(),
            )
        self.assertTrue(keys)
        language = export["visitors"]["records"][0]["language"]
        self.assertEqual(value_labels["visitors"]["language"][language], "English (US)")
