# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .willsoft_privacy_request import OFFICER_GROUP, OPEN_STATES

DEADLINE_ACTIVITY = "willsoft_privacy.mail_activity_type_request_deadline"
# A change of these moves, reassigns or closes the deadline activity.
DEADLINE_FIELDS = {"state", "received_date", "extension_months", "user_id"}


class WillsoftPrivacyRequest(models.Model):
    """The legal due date of each open request as an activity of its officer,
    so that requests show in My Activities beside the rest of their work.
    Kept apart from the request's lifecycle, which it only follows."""

    _inherit = "willsoft.privacy.request"

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        requests._privacy_sync_deadline_activity()
        return requests

    def write(self, vals):
        res = super().write(vals)
        if DEADLINE_FIELDS & vals.keys():
            self._privacy_sync_deadline_activity()
        return res

    def _privacy_deadline_officer(self):
        """The officer in charge, else the first privacy officer."""
        self.ensure_one()
        if self.user_id:
            return self.user_id
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref(OFFICER_GROUP).ids),
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.ids),
                ],
                order="id",
                limit=1,
            )
        )

    def _privacy_sync_deadline_activity(self):
        """One activity per open request, due on its legal date; marked done
        when the request is answered, refused or closed."""
        activity_type = self.env.ref(DEADLINE_ACTIVITY, raise_if_not_found=False)
        if not activity_type:
            return
        for request in self.sudo():
            activities = request.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            )
            if request.state not in OPEN_STATES:
                activities.action_feedback(
                    feedback=dict(
                        request._fields["state"]._description_selection(self.env)
                    ).get(request.state)
                )
                continue
            if not request.due_date:
                continue
            officer = request._privacy_deadline_officer()
            if activities:
                activities.write(
                    {"date_deadline": request.due_date, "user_id": officer.id}
                )
            else:
                request.activity_schedule(
                    act_type_xmlid=DEADLINE_ACTIVITY,
                    date_deadline=request.due_date,
                    user_id=officer.id,
                )
