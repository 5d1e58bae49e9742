# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import (
    EMAIL,
    RetentionCommon,
    assert_every_key_labelled,
)

GUEST_EMAIL = "guest.person@vieras.fi"


@tagged("post_install", "-at_install")
class TestCrmMeetings(RetentionCommon):
    """Meetings in the calendar: exported with the person's answer, erased
    with the person (their own meetings deleted, other people's left
    without them), and counted by the last-contact clock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer.email = "officer@willsoft.example"

    def meeting(self, name, start, partners, **values):
        return (
            self.env["calendar.event"]
            .with_user(self.officer)
            .create(
                {
                    "name": name,
                    "start": start,
                    "stop": start.replace("09:00", "10:00"),
                    "partner_ids": [(6, 0, partners.ids)],
                    **values,
                }
            )
        )

    def invitations(self, event, partner):
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "calendar.event"),
                    ("res_id", "=", event.id),
                    ("partner_ids", "in", partner.ids),
                ]
            )
        )

    def test_meetings_are_exported_and_erased(self):
        customer, contact, _invoice = self.make_ended_customer("Kokous Oy")
        guest = self.env["res.partner"].create(
            {"name": "Vieras Henkilö", "email": GUEST_EMAIL}
        )
        staff = self.officer.partner_id
        with freeze_time("2025-02-01 08:00:00"):
            own = self.meeting("Renewal talk", "2025-02-10 09:00:00", contact | staff)
            shared = self.meeting(
                f"Demo for {contact.name} and Vieras",
                "2025-02-12 09:00:00",
                contact | guest | staff,
                description=f"<p>Ask {contact.name} ({EMAIL}) about seats.</p>",
            )
            others = self.meeting("Vieras alone", "2025-02-14 09:00:00", guest | staff)
            # Filed on the company's partner, no attendee of theirs.
            filed = self.meeting(
                "Prepare the offer",
                "2025-02-15 09:00:00",
                staff,
                res_model_id=self.env["ir.model"]._get_id("res.partner"),
                res_id=customer.id,
            )
            own.attendee_ids.filtered(lambda a: a.partner_id == contact).do_accept()
        self.assertTrue(self.invitations(shared, contact))
        self.assertTrue(self.invitations(shared, guest))

        export = self.data_map._export(contact)
        rows = {row["id"]: row for row in export["meetings"]["records"]}
        self.assertEqual(set(rows), {own.id, shared.id})
        self.assertEqual(rows[own.id]["answer"], "accepted")
        self.assertEqual(rows[own.id]["organizer"], self.officer.name)
        assert_every_key_labelled(self, export, ("meetings",))
        labels, values = self.data_map.with_context(lang="fi_FI")._key_labels()
        self.assertEqual(labels["meetings"]["answer"], "Vastauksesi")
        self.assertNotEqual(values["meetings"]["answer"]["accepted"], "accepted")
        self.assertIn(
            filed.id,
            {r["id"] for r in self.data_map._export(customer)["meetings"]["records"]},
        )

        with freeze_time("2025-07-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(customer.privacy_stage, "restricted")
        # Theirs alone: gone, with their invitations.
        self.assertFalse((own | filed).exists())
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "calendar.event"), ("res_id", "in", own.ids)]
            )
        )
        # The guest's meeting stays for the guest, without the person.
        self.assertTrue(shared.exists())
        self.assertEqual(shared.partner_ids, guest | staff)
        self.assertEqual(shared.attendee_ids.partner_id, guest | staff)
        self.assertEqual(shared.name, "Demo for [erased] and Vieras")
        self.assertNotIn(EMAIL, str(shared.description))
        self.assertNotIn("Contact of Kokous Oy", str(shared.description))
        self.assertIn("about seats", str(shared.description))
        self.assertFalse(self.invitations(shared, contact))
        self.assertTrue(self.invitations(shared, guest))
        self.assertEqual(others.partner_ids, guest | staff)
        self.assertEqual(self.retention_logs("check").mapped("result"), ["ok"])
        self.assertFalse(self.retention_logs("error"))

    def test_a_meeting_moves_the_clock(self):
        with freeze_time("2023-01-10"):
            partner = self.env["res.partner"].create(
                {"name": "Tapaaja Oy", "is_company": True}
            )
            person = self.env["res.partner"].create(
                {
                    "name": "Tapaaja Henkilö",
                    "parent_id": partner.id,
                    "email": "tapaaja@tapaaja.fi",
                }
            )
        self.assertEqual(partner.privacy_anonymise_date, date(2025, 1, 10))
        staff = self.officer.partner_id
        with freeze_time("2024-11-01 08:00:00"):
            self.meeting("Intro", "2024-12-05 09:00:00", person | staff)
            declined = self.meeting("Follow-up", "2025-03-05 09:00:00", person | staff)
            declined.attendee_ids.filtered(
                lambda a: a.partner_id == person
            ).do_decline()
        with freeze_time("2025-01-10"):
            self.engine._cron_privacy_retention()
        self.assertEqual(partner.privacy_stage, "none")
        # A declined meeting is no contact (the answer itself is a message
        # by the person, counted on the day it was sent).
        self.assertEqual(partner.privacy_last_event_date, date(2024, 12, 5))
        self.assertEqual(partner.privacy_anonymise_date, date(2026, 12, 5))
        with freeze_time("2026-12-05"):
            self.engine._cron_privacy_retention()
        self.assertEqual(partner.privacy_stage, "anonymised")
        self.assertFalse(
            self.env["calendar.event"].search([("name", "in", ("Intro", "Follow-up"))])
        )
