"""Without a PostgreSQL server, the scripts fall back to an embedded one from
PyPI: Odoo installs a database on it."""

import os
import subprocess
import sys

import psycopg2

SETUP_AND_INSTALL = """
source scripts/lib.sh
setup_all
echo "PGHOST=$PGHOST PGUSER=$PGUSER"
odoo -d willsoft_embedded_check -i base --without-demo=all --stop-after-init \\
    --log-level=warn
"""


def test_embedded_postgres_serves_odoo(repo, tmp_path):
    pgdata = tmp_path / "pgdata"
    env = {**os.environ, "WILLSOFT_PG": "embedded", "WILLSOFT_PGDATA": str(pgdata)}
    for var in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD"):
        env.pop(var, None)
    try:
        result = subprocess.run(
            ["bash", "-c", SETUP_AND_INSTALL],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert f"PGHOST={pgdata}" in result.stdout
        assert "PGUSER=willsoft" in result.stdout
        with (
            psycopg2.connect(
                host=str(pgdata), user="willsoft", dbname="willsoft_embedded_check"
            ) as conn,
            conn.cursor() as cur,
        ):
            cur.execute("SELECT state FROM ir_module_module WHERE name = 'base'")
            assert cur.fetchone() == ("installed",)
    finally:
        subprocess.run(
            [
                sys.executable,
                "-W",
                "ignore",
                str(repo / "scripts" / "embedded_pg.py"),
                str(pgdata),
                "stop",
            ],
            check=False,
        )
