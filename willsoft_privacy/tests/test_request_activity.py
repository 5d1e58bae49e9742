# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestRequestActivity(PrivacyCommon):
    """Each open request is an activity of its officer, due on the legal date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer, cls.person = cls.make_customer()
        cls.person.email = "person@example.com"
        cls.activity_type = cls.env.ref(
            "willsoft_privacy.mail_activity_type_request_deadline"
        )

    def new_request(self, **vals):
        return (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": self.person.id, "kind": "access", **vals})
        )

    def deadline_activities(self, request):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", request._name),
                ("res_id", "=", request.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    @freeze_time("2026-01-31")
    def test_open_request_is_in_my_activities_until_answered(self):
        request = self.new_request(
            received_date=date(2026, 1, 31), user_id=self.officer.id
        )
        activity = self.deadline_activities(request)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2026, 2, 28))
        self.assertEqual(activity.user_id, self.officer)
        # My Activities of the officer lists it.
        mine = (
            self.env["mail.activity"]
            .with_user(self.officer)
            .search(
                [("user_id", "=", self.officer.id), ("res_model", "=", request._name)]
            )
        )
        self.assertIn(activity, mine)

        request = request.with_user(self.officer)
        request.action_extend(2, "Many years of correspondence.")
        self.assertEqual(activity.date_deadline, date(2026, 4, 30))

        request.action_start()
        request.outcome = "Export sent."
        request.action_done()
        self.assertFalse(self.deadline_activities(request))
        self.assertIn(
            self.activity_type,
            request.message_ids.mail_activity_type_id,
            "the done activity stays in the chatter",
        )

    def test_refused_request_closes_its_activity(self):
        request = self.new_request()
        self.assertTrue(self.deadline_activities(request))
        request.refusal_reason = "The request is manifestly unfounded."
        request.with_user(self.officer).action_refuse()
        self.assertFalse(self.deadline_activities(request))

    def test_without_officer_in_charge_goes_to_a_privacy_officer(self):
        request = (
            self.env["willsoft.privacy.request"]
            .sudo()
            .create({"partner_id": self.person.id, "kind": "erasure", "channel": "web"})
        )
        activity = self.deadline_activities(request)
        self.assertTrue(
            activity.user_id.has_group("willsoft_privacy.group_privacy_officer")
        )
        request.user_id = self.officer
        self.assertEqual(activity.user_id, self.officer)
