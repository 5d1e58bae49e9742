# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import RetentionCommon

WEB_EMAIL = "liisa.lead@example.fi"


@tagged("post_install", "-at_install")
class TestCrmOwnClock(RetentionCommon):
    """A lead from the web form that never got a partner follows the
    potential-customer period (24 months) from its last activity."""

    def make_lead(self, name, created, **values):
        lead = self.env["crm.lead"].create({"name": name, **values})
        # The database sets the creation time; the test needs it in the past.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s, date_last_stage_update = %s "
            "WHERE id = %s",
            (created, created, lead.id),
        )
        lead.invalidate_recordset()
        return lead

    def test_web_lead_without_partner_erased_on_its_own_day(self):
        web = self.make_lead(
            "Web enquiry",
            "2025-01-10 10:00:00",
            email_from=WEB_EMAIL,
            contact_name="Liisa Lead",
            phone="+358 50 765 4321",
        )
        # A reply on it moves its clock.
        with freeze_time("2025-03-01 12:00:00"):
            web.message_post(body="Sent the brochure.", message_type="comment")
        # Another one has a call planned: alive until then.
        planned = self.make_lead(
            "Call me later", "2025-01-10 10:00:00", email_from="later@example.fi"
        )
        planned.activity_schedule(
            "mail.mail_activity_data_call", date_deadline="2027-06-01"
        )
        # A lead of a partner follows the partner's clock, not this one.
        partner = self.env["res.partner"].create(
            {"name": "Asiakas Oy", "is_company": True, "privacy_category": "customer"}
        )
        linked = self.make_lead("Renewal", "2025-01-10 10:00:00", partner_id=partner.id)
        with freeze_time("2027-02-28"):
            self.engine._cron_privacy_retention()
        self.assertTrue(web.exists())
        with freeze_time("2027-03-01"):
            self.engine._cron_privacy_retention()
        self.assertFalse(web.exists())
        self.assertTrue(planned.exists())
        self.assertTrue(linked.exists())
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "crm.lead"), ("res_id", "=", web.id)]
            )
        )
        # The address lives on as a keyed hash: a new sign-up is noticed.
        Suppression = self.env["willsoft.privacy.suppression"]
        self.assertTrue(Suppression._is_suppressed([WEB_EMAIL]))
        run = self.log.search(
            [("event", "=", "run"), ("message", "=like", "Leads without a partner%")]
        )
        self.assertEqual(run.counts, {"leads": 1})
        for entry in self.log.search([]):
            self.assertNotIn(WEB_EMAIL, f"{entry.message} {entry.counts}")
        # Counted from the planned call.
        with freeze_time("2029-05-31"):
            self.engine._cron_privacy_retention()
        self.assertTrue(planned.exists())
        with freeze_time("2029-06-01"):
            self.engine._cron_privacy_retention()
        self.assertFalse(planned.exists())
