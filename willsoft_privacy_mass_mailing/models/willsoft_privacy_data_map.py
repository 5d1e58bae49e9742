# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class WillsoftPrivacyDataMap(models.AbstractModel):
    """Email marketing: mailing contacts with their list subscriptions (they
    carry an email address, never a partner link), and mailing traces (which
    mailing went to which address, opened or clicked)."""

    _inherit = "willsoft.privacy.data.map"

    @api.model
    def _handlers(self):
        handlers = super()._handlers()
        # Before messages: deleting a mailing contact or a trace's mail takes
        # their messages with it.
        # A contact's subscriptions are nested in its row: their keys read
        # as the subscription's fields.
        subscription = self.env["mailing.subscription"]._fields
        self._insert_handlers(
            handlers,
            "messages",
            [
                {
                    "kind": "mailing_contacts",
                    "label": self.env._("Mailing list contacts"),
                    "model": "mailing.contact",
                    "fields": {
                        "country": "country_id",
                        "created": "create_date",
                        "subscriptions": "subscription_ids",
                    },
                    "labels": {
                        key: subscription[name]._description_string(self.env)
                        for key, name in (
                            ("list", "list_id"),
                            ("subscribed", "create_date"),
                            ("opt_out", "opt_out"),
                            ("opt_out_date", "opt_out_datetime"),
                            ("opt_out_reason", "opt_out_reason_id"),
                        )
                    },
                },
                {
                    "kind": "mailing_traces",
                    "label": self.env._("Mailings sent"),
                    "model": "mailing.trace",
                    "fields": {
                        "mailing": "mass_mailing_id",
                        "campaign": "campaign_id",
                        "status": "trace_status",
                        "sent": "sent_datetime",
                        "opened": "open_datetime",
                        "replied": "reply_datetime",
                        "clicked": "links_click_datetime",
                        "links_clicked": "links_click_ids",
                    },
                },
            ],
        )
        return handlers

    # Handler: mailing contacts and their subscriptions

    @api.model
    def _find_mailing_contacts(self, plan):
        Contact = self.env["mailing.contact"].sudo().with_context(active_test=False)
        emails = self._emails(plan["partners"], plan)
        if not emails:
            return Contact
        return Contact.search([("email_normalized", "in", emails)])

    @api.model
    def _export_mailing_contacts(self, records, plan):
        # Searched, not read through the contacts: a subscription made through
        # list_ids in this transaction is not in their subscription_ids yet.
        subscriptions = (
            self.env["mailing.subscription"]
            .sudo()
            .search([("contact_id", "in", records.ids)])
        )
        return [
            {
                "id": contact.id,
                "name": contact.name or "",
                "email": contact.email or "",
                "company_name": contact.company_name or "",
                "country": contact.country_id.name or "",
                "created": fields.Datetime.to_string(contact.create_date),
                "subscriptions": [
                    self._mailing_subscription_row(subscription)
                    for subscription in subscriptions
                    if subscription.contact_id == contact
                ],
            }
            for contact in records
        ]

    @api.model
    def _mailing_subscription_row(self, subscription):
        """One subscription of a mailing contact in the export; its keys are
        labelled in the handler's ``labels``."""
        return {
            "list": subscription.list_id.name,
            "subscribed": fields.Datetime.to_string(subscription.create_date),
            "opt_out": subscription.opt_out,
            "opt_out_date": fields.Datetime.to_string(subscription.opt_out_datetime)
            or "",
            "opt_out_reason": subscription.opt_out_reason_id.name or "",
        }

    @api.model
    def _mailing_consents(self, plan):
        """``{address: purpose ids}``: the proven addresses of the partners
        the retention run keeps on consent (``plan["on_consent"]``), with
        the purposes they consent to by email."""
        on_consent = self._on_consent(plan)
        purposes = {}
        if not on_consent:
            return purposes
        for partner in plan["partners"].filtered(lambda p: p.id in on_consent):
            given = on_consent[partner.id].filtered(lambda s: s.channel == "email")
            for email in partner._privacy_proven_emails():
                purposes.setdefault(email, set()).update(given.processing_id.ids)
        return purposes

    @api.model
    def _held_mailing_contacts(self, records, plan):
        """A contact subscribed to a list of a purpose the person consents
        to by email, while the retention run keeps what the consent needs:
        held with its subscriptions to those lists (the others go)."""
        consents = self._mailing_consents(plan)
        if not consents:
            return {}
        reason = self._mailing_consent_reason(plan)
        held = {}
        for contact in records:
            purposes = consents.get(contact.email_normalized, ())
            subscribed = contact.subscription_ids.list_id.willsoft_privacy_processing_id
            if set(subscribed.ids) & set(purposes):
                held[contact.id] = reason(purposes)
        return held

    @api.model
    def _mailing_consent_reason(self, plan):
        """A function giving the reason for records held on the email
        consents to some purposes, made once per handler call: the given
        consents of the whole plan are gathered once, and each set of
        purposes is worded once."""
        states = self.env["willsoft.privacy.consent.state"].union(
            *self._on_consent(plan).values()
        )
        by_email = states.filtered(lambda s: s.channel == "email")
        reasons = {}

        def reason(purposes):
            key = frozenset(purposes)
            if key not in reasons:
                reasons[key] = self._consent_reason(
                    by_email.filtered(lambda s: s.processing_id.id in key)
                )
            return reasons[key]

        return reason

    @api.model
    def _erase_mailing_contacts(self, records, plan):
        # The subscriptions and the contact's messages go with it.
        count = len(records)
        records.unlink()
        # A contact held on a consent keeps only the subscriptions to the
        # lists of the purposes consented to.
        consents = self._mailing_consents(plan)
        held = (
            self.env["mailing.contact"]
            .sudo()
            .browse(list((plan or {}).get("held", {}).get("mailing_contacts", ())))
        )
        others = held.subscription_ids.filtered(
            lambda s: (
                s.list_id.willsoft_privacy_processing_id.id
                not in consents.get(s.contact_id.email_normalized, ())
            )
        )
        if others:
            others.unlink()
            count += len(others)
        return count

    # Handler: mailing traces

    @api.model
    def _find_mailing_traces(self, plan):
        emails = self._emails(plan["partners"], plan)
        contacts = plan["found"].get("mailing_contacts")
        domain = [
            "&",
            ("model", "=", "res.partner"),
            ("res_id", "in", plan["partners"].ids),
        ]
        if contacts:
            domain = [
                "|",
                "&",
                ("model", "=", "mailing.contact"),
                ("res_id", "in", contacts.ids),
                *domain,
            ]
        if emails:
            domain = ["|", ("email", "in", emails), *domain]
        return self.env["mailing.trace"].sudo().search(domain)

    @api.model
    def _export_mailing_traces(self, records, plan):
        return [
            {
                "id": trace.id,
                "mailing": trace.mass_mailing_id.subject or "",
                "campaign": trace.campaign_id.name or "",
                "email": trace.email or "",
                "status": trace.trace_status or "",
                "sent": fields.Datetime.to_string(trace.sent_datetime) or "",
                "opened": fields.Datetime.to_string(trace.open_datetime) or "",
                "replied": fields.Datetime.to_string(trace.reply_datetime) or "",
                "clicked": fields.Datetime.to_string(trace.links_click_datetime) or "",
                "links_clicked": [
                    click.link_id.url or "" for click in trace.links_click_ids
                ],
            }
            for trace in records
        ]

    @api.model
    def _held_mailing_traces(self, records, plan):
        """The traces of a mailing of a purpose the person consents to by
        email, while the retention run keeps what the consent needs."""
        consents = self._mailing_consents(plan)
        if not consents:
            return {}
        on_consent = self._on_consent(plan)
        partners = plan["partners"].filtered(lambda p: p.id in on_consent)
        by_partner = {p.id: p._privacy_proven_emails() for p in partners}
        # Those held are still there; the others' traces go by their email.
        found = plan["found"].get("mailing_contacts")
        contacts = {
            contact.id: contact.email_normalized
            for contact in (found.exists() if found else ())
        }
        reason = self._mailing_consent_reason(plan)
        held = {}
        for trace in records:
            purpose = trace.mass_mailing_id.willsoft_privacy_processing_id
            if trace.model == "res.partner" and trace.res_id in by_partner:
                emails = by_partner[trace.res_id]
            elif trace.model == "mailing.contact" and trace.res_id in contacts:
                emails = [contacts[trace.res_id]]
            else:
                emails = [trace.email]
            for email in emails:
                if purpose.id in consents.get(email, ()):
                    held[trace.id] = reason({purpose.id})
                    break
        return held

    @api.model
    def _erase_mailing_traces(self, records, plan):
        """Deleted, not anonymised: a trace must point at a record (core's
        check on res_id), and one still pointing at the person's partner
        would keep them findable. The mailing's counts lose the person; the
        clicks stay for the link's statistics, without their IP address, and
        an archived copy of the mail goes too."""
        if not records:
            return 0
        count = len(records)
        records.links_click_ids.write({"ip": False})
        records.mail_mail_id.unlink()
        records.unlink()
        return count

    # Leftovers under erased addresses

    @api.model
    def _suppressed_mailing_records(self):
        """Mailing contacts, and their traces, under an address on the
        suppression list that were there before the address was erased: data
        of someone already erased that no partner leads to any more (an
        address they had before, a lead's address). A contact made after the
        erasure is a new sign-up: it is flagged, not erased.

        Returns ``(contacts, traces)``."""
        Contact = self.env["mailing.contact"].sudo().with_context(active_test=False)
        Trace = self.env["mailing.trace"].sudo()
        Suppression = self.env["willsoft.privacy.suppression"].sudo()
        erased_on = {
            entry.digest: entry.create_date
            for entry in Suppression.search_fetch(
                [("kind", "=", "email")], ["digest", "create_date"]
            )
        }
        if not erased_on:
            return Contact, Trace
        contacts = Contact.search_fetch(
            [("email_normalized", "!=", False)], ["email_normalized", "create_date"]
        )
        left_ids = []
        for contact in contacts:
            erased = erased_on.get(Suppression._digest(contact.email_normalized))
            if erased and contact.create_date <= erased:
                left_ids.append(contact.id)
        left = contacts.browse(left_ids)
        if not left:
            return Contact, Trace
        traces = Trace.search(
            [
                "|",
                ("email", "in", left.mapped("email_normalized")),
                "&",
                ("model", "=", "mailing.contact"),
                ("res_id", "in", left.ids),
            ]
        )
        return left, traces
