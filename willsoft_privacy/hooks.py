# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL

from odoo.addons.account.models.mail_message import bypass_token


def post_init_hook(env):
    """A database that already invoiced has customers: say so on install;
    every partner's last contact follows what already happened; the main
    company is the notice's controller."""
    env["res.partner"]._privacy_init_customers()
    env["res.partner"]._privacy_refresh_clock(full=True)
    env["res.company"]._privacy_seed_controller()


def uninstall_hook(env):
    # Our indexes on core tables (the erasure check's trigram indexes, the
    # retention run's partial ones) would outlive the module: drop them.
    env.cr.execute(
        SQL(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexname LIKE %s AND tablename NOT LIKE %s",
            "willsoft\\_privacy\\_%",
            "willsoft\\_privacy\\_%",
        )
    )
    for (name,) in env.cr.fetchall():
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    # The consent ledger refuses deletes, and its lines point at partners:
    # its table goes with the module, but its rows would first stop the
    # module's own (demo) partners from being removed.
    env.cr.execute(SQL("DELETE FROM willsoft_privacy_consent_event"))
    # The requests' deadline activities go with their activity type.
    deadline = env.ref(
        "willsoft_privacy.mail_activity_type_request_deadline",
        raise_if_not_found=False,
    )
    if deadline:
        env["mail.activity"].sudo().search(
            [("activity_type_id", "=", deadline.id)]
        ).unlink()
    _release_demo_partners(env)
    _detach_tracked_field_history(env)


def _release_demo_partners(env):
    """The demo's supplier (a supplier rank, no company) has a chatter that
    core counts as accounting audit trail, so the uninstall could not delete
    the partner: its messages go first, through core's own bypass (the
    partner and its history are the module's demo data)."""
    partner_ids = (
        env["ir.model.data"]
        .search([("module", "=", "willsoft_privacy"), ("model", "=", "res.partner")])
        .mapped("res_id")
    )
    if partner_ids:
        env["mail.message"].with_context(bypass_audit=bypass_token).sudo().search(
            [("model", "=", "res.partner"), ("res_id", "in", partner_ids)]
        ).unlink()


def _detach_tracked_field_history(env):
    """Detach the change history of our tracked fields before they go.

    Odoo 18.0's mail turns a tracked field's history into plain field info
    when the field is deleted, but by then the registry no longer knows the
    field: the deletion fails quietly and the column stays behind. Doing the
    same here, while the fields still exist, keeps the history readable and
    lets the uninstall drop the columns. The accounting audit trail guards
    partners' change history; like account's own partner merge, we re-point
    it without removing anything (the field's description stays on each value).
    """
    field_ids = (
        env["ir.model.data"]
        .search(
            [("module", "=", "willsoft_privacy"), ("model", "=", "ir.model.fields")]
        )
        .mapped("res_id")
    )
    tracked = env["ir.model.fields"].browse(field_ids).exists().filtered("tracking")
    for field in tracked:
        values = (
            env["mail.tracking.value"]
            .with_context(bypass_audit=bypass_token)
            .search([("field_id", "=", field.id)])
        )
        if not values:
            continue
        model = env[field.model]
        values.write(
            {
                "field_id": False,
                "field_info": {
                    "desc": field.field_description,
                    "name": field.name,
                    "sequence": model._mail_track_get_field_sequence(field.name),
                    "type": field.ttype,
                },
            }
        )
