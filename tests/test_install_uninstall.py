"""The module uninstalls and installs again cleanly, with nothing in the log
that an administrator would worry about."""

import subprocess
import sys

import psycopg2

from conftest import server_log_problems

UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", "willsoft_privacy")])
module.button_immediate_uninstall()
env.cr.commit()
"""


def odoo(odoo_bin, odoo_conf, *args, stdin=None):
    # odoo-bin takes a subcommand (shell) only before its options.
    command = list(args[:1]) if args and not args[0].startswith("-") else []
    args = args[len(command) :]
    result = subprocess.run(
        [
            sys.executable,
            odoo_bin,
            *command,
            "-c",
            odoo_conf,
            "--no-http",
            "--log-level=info",
            *args,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return result, result.stdout + result.stderr


def query(db, sql):
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_uninstall_then_install_again(odoo_bin, odoo_conf, db_copy):
    result, log = odoo(odoo_bin, odoo_conf, "shell", "-d", db_copy, stdin=UNINSTALL)
    assert result.returncode == 0, log[-3000:]
    assert server_log_problems(log) == []
    assert query(
        db_copy, "SELECT state FROM ir_module_module WHERE name='willsoft_privacy'"
    ) == [("uninstalled",)]
    # Its columns, tables, menus and groups are gone.
    assert (
        query(
            db_copy,
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name IN ('res_partner', 'res_company') "
            "AND column_name LIKE 'privacy_%'",
        )
        == []
    )
    assert (
        query(
            db_copy, "SELECT 1 FROM pg_tables WHERE tablename LIKE 'willsoft_privacy%'"
        )
        == []
    )
    assert (
        query(db_copy, "SELECT 1 FROM ir_model_data WHERE module = 'willsoft_privacy'")
        == []
    )

    result, log = odoo(
        odoo_bin,
        odoo_conf,
        "-d",
        db_copy,
        "-i",
        "willsoft_privacy",
        "--stop-after-init",
    )
    assert result.returncode == 0, log[-3000:]
    assert server_log_problems(log) == []
    assert query(
        db_copy, "SELECT state FROM ir_module_module WHERE name='willsoft_privacy'"
    ) == [("installed",)]
