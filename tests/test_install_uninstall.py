"""The module uninstalls and installs again from the Apps menu cleanly, with
nothing in the log that an administrator would worry about."""

import subprocess
import sys

import psycopg2

from conftest import server_log_problems

# What the Apps menu's Uninstall and Activate buttons call.
APPS_BUTTON = """
module = env["ir.module.module"].search([("name", "=", "willsoft_privacy")])
module.{method}()
env.cr.commit()
"""


# The erasure check's and the retention run's indexes, on core tables too
# (trigram, names, phone keys).
OUR_INDEXES = (
    "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'willsoft\\_privacy\\_%'"
)


def query(db, sql):
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def press_apps_button(odoo_bin, odoo_conf, db, method):
    """Run the button's method in `odoo-bin shell`; return the module state."""
    result = subprocess.run(
        [
            sys.executable,
            odoo_bin,
            "shell",
            "-c",
            odoo_conf,
            "-d",
            db,
            "--no-http",
            "--log-level=info",
        ],
        input=APPS_BUTTON.format(method=method),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert server_log_problems(log) == []
    [(state,)] = query(
        db, "SELECT state FROM ir_module_module WHERE name='willsoft_privacy'"
    )
    return state


def test_uninstall_then_install_again_from_apps(odoo_bin, odoo_conf, db_copy):
    assert query(db_copy, OUR_INDEXES), "the installed module has its indexes"
    assert press_apps_button(
        odoo_bin, odoo_conf, db_copy, "button_immediate_uninstall"
    ) == ("uninstalled")
    # Its columns, tables, records (menus, groups, demo data) are gone.
    leftovers = {
        "columns": "SELECT column_name FROM information_schema.columns"
        " WHERE table_name IN ('res_partner', 'res_company')"
        " AND column_name LIKE 'privacy_%'",
        "tables": "SELECT tablename FROM pg_tables"
        " WHERE tablename LIKE 'willsoft_privacy%'",
        "indexes": OUR_INDEXES,
        "records": "SELECT model, name FROM ir_model_data"
        " WHERE module = 'willsoft_privacy'",
        "demo logins": "SELECT login FROM res_users WHERE login IN ('officer', 'aino')",
    }
    for what, sql in leftovers.items():
        assert query(db_copy, sql) == [], what

    assert press_apps_button(
        odoo_bin, odoo_conf, db_copy, "button_immediate_install"
    ) == ("installed")
