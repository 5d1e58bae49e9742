# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import Command, api, fields, models
from odoo.osv import expression


class WillsoftPrivacyDataMap(models.AbstractModel):
    """Leads and opportunities: linked to the partner, or carrying one of its
    email addresses without a link (a lead from a web form, say). Meetings
    in the calendar (which CRM installs): those the person attends or was
    invited to, and those on their partner or their leads."""

    _inherit = "willsoft.privacy.data.map"

    @api.model
    def _handlers(self):
        handlers = super()._handlers()
        # Before messages: unlinking a lead or a meeting takes its own
        # chatter with it. Meetings before leads: a meeting on the person's
        # opportunity is found through it.
        self._insert_handlers(
            handlers,
            "messages",
            [
                {
                    "kind": "meetings",
                    "label": self.env._("Calendar meetings"),
                    "model": "calendar.event",
                    "fields": {"organizer": "user_id"},
                    "labels": {"answer": self.env._("Your answer")},
                    "value_labels": {
                        "answer": dict(
                            self.env["calendar.attendee"]
                            ._fields["state"]
                            ._description_selection(self.env)
                        )
                    },
                },
                {
                    "kind": "leads",
                    "label": self.env._("Leads and opportunities"),
                    "model": "crm.lead",
                    "fields": {
                        "company_name": "partner_name",
                        "email": "email_from",
                        "stage": "stage_id",
                        "created": "create_date",
                    },
                },
            ],
        )
        return handlers

    @api.model
    def _domain_leads(self, plan):
        partners = plan["partners"]
        emails = self._emails(partners, plan)
        domain = [("partner_id", "in", partners.ids)]
        if emails:
            domain = ["|", ("email_normalized", "in", emails), *domain]
        return domain

    @api.model
    def _find_leads(self, plan):
        return self._by_domain("leads", plan)

    @api.model
    def _export_leads(self, records, plan):
        return [
            {
                "id": lead.id,
                "type": lead.type,
                "name": lead.name,
                "contact_name": lead.contact_name or "",
                "company_name": lead.partner_name or "",
                "email": lead.email_from or "",
                "phone": lead.phone or "",
                "stage": lead.stage_id.name or "",
                "description": str(lead.description or ""),
                "created": fields.Datetime.to_string(lead.create_date),
            }
            for lead in records
        ]

    # Handler: meetings in the calendar

    @api.model
    def _find_meetings(self, plan):
        """The meetings the person attends or was invited to, and those filed
        on their partner or on one of their leads (a meeting planned from
        the opportunity). Archived ones too."""
        ids = plan["partners"].ids
        leads = plan["found"].get("leads")
        if leads is None:
            leads = self._find_leads(plan)
        domain = expression.OR(
            [
                [("partner_ids", "in", ids)],
                [("attendee_ids.partner_id", "in", ids)],
                [("res_model", "=", "res.partner"), ("res_id", "in", ids)],
            ]
        )
        if leads:
            domain = expression.OR(
                [
                    domain,
                    [("opportunity_id", "in", leads.ids)],
                    [("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)],
                ]
            )
        return (
            self.env["calendar.event"]
            .sudo()
            .with_context(active_test=False)
            .search(domain, order="start, id")
        )

    @api.model
    def _export_meetings(self, records, plan):
        """The meeting as the person knows it, and their own answer; not the
        other attendees (their data, GDPR Art. 15(4))."""
        partners = plan["partners"]
        rows = []
        for event in records:
            mine = event.attendee_ids.filtered(lambda a: a.partner_id in partners)
            rows.append(
                {
                    "id": event.id,
                    "name": event.name or "",
                    "start": fields.Datetime.to_string(event.start),
                    "stop": fields.Datetime.to_string(event.stop),
                    "allday": event.allday,
                    "location": event.location or "",
                    "description": str(event.description or ""),
                    "organizer": event.user_id.name or "",
                    "answer": mine[:1].state or "",
                }
            )
        return rows

    # No held method: no law keeps a meeting.

    @api.model
    def _erase_meetings(self, records, plan):
        """A meeting with no one else from outside (only the person, their
        colleagues erased with them and our staff) is deleted, with its
        invitations. Another person's meeting stays for them: the person
        leaves its attendees, its link to their partner or lead goes, their
        name, address and numbers leave its subject and description, and the
        invitations sent to them (which name them) and the invitation files
        (which list every attendee) are deleted, and the others' invitations
        no longer name them. No mail goes out."""
        if not records:
            return 0
        partners = plan["partners"]
        staff = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("share", "=", False)])
            .partner_id
        )
        records = records.with_context(
            no_mail_to_attendees=True,
            dont_notify=True,
            tracking_disable=True,
            mail_notrack=True,
        )
        alone = records.filtered(
            lambda e: not (e.partner_ids | e.attendee_ids.partner_id) - partners - staff
        )
        shared = records - alone
        if shared:
            self._leave_meetings(shared, plan)
        alone.unlink()
        return len(records)

    @api.model
    def _leave_meetings(self, events, plan):
        """The person leaves these meetings, which others keep."""
        partners = plan["partners"]
        leads = plan["found"].get("leads") or self._find_leads(plan)
        pattern = self._meetings_pattern(plan)
        erased = self.env._("[erased]")
        Message = self.env["mail.message"].sudo()
        messages = Message.search(
            [("model", "=", "calendar.event"), ("res_id", "in", events.ids)]
        )
        # Core's invitations, changes and reminders (notifications to one
        # attendee each): those to the person are theirs alone.
        invitations = messages.filtered(
            lambda m: (
                m.message_type == "user_notification"
                and m.partner_ids
                and not m.partner_ids - partners
            )
        )
        files = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("mimetype", "=", "text/calendar"),
                    "|",
                    "&",
                    ("res_model", "=", "calendar.event"),
                    ("res_id", "in", events.ids),
                    (
                        "id",
                        "in",
                        (messages.attachment_ids | invitations.attachment_ids).ids,
                    ),
                ]
            )
        )
        files.unlink()
        invitations.unlink()
        if pattern:
            # The others' invitations list the attendees: the person leaves
            # them too, in the message and in the mail still queued.
            for message in (messages - invitations).exists():
                body = str(message.body or "")
                if pattern.search(body):
                    message.body = pattern.sub(erased, body)
                for mail in message.mail_ids:
                    html = str(mail.body_html or "")
                    if pattern.search(html):
                        mail.body_html = pattern.sub(erased, html)
        linked = {"res.partner": partners.ids, "crm.lead": leads.ids}
        for event in events:
            values = {}
            gone = (event.partner_ids | event.attendee_ids.partner_id) & partners
            if gone:
                values["partner_ids"] = [Command.unlink(p.id) for p in gone]
            if event.opportunity_id in leads:
                values["opportunity_id"] = False
            if event.res_id in linked.get(event.res_model, ()):
                values.update({"res_model_id": False, "res_id": False})
            if pattern:
                name = pattern.sub(erased, event.name or "")
                if name != event.name:
                    values["name"] = name
                description = str(event.description or "")
                cleaned = pattern.sub(erased, description)
                if cleaned != description:
                    values["description"] = cleaned
            if values:
                event.write(values)

    @api.model
    def _meetings_pattern(self, plan):
        """The person's former values as one case-insensitive pattern of
        whole words, longest first, or None: addresses, phone numbers as
        typed, and full names (two words or more, as the erasure check reads
        names; a first name alone is anybody's)."""
        values = sorted(
            {
                value.strip()
                for value in plan["former"]
                if value
                and len(value.strip()) >= 6
                and ("@" in value or " " in value.strip() or value[:1] in "+0")
            },
            key=len,
            reverse=True,
        )
        if not values:
            return None
        alternatives = "|".join(re.escape(value) for value in values)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
