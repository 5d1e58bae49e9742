"""Start an embedded PostgreSQL (the pgserver package from PyPI) in a data
folder of ours, for a laptop without a PostgreSQL server, and print the
shell exports that point libpq and Odoo at it.

    embedded_pg.py DATA_DIR        prints: export PGHOST=... PGPORT=... PGUSER=...
    embedded_pg.py DATA_DIR stop   stops it

It listens on a Unix socket only and keeps running after this script ends;
the next call finds it running and reuses it.
"""

import os
import pathlib
import shlex
import sys

import pgserver
import psycopg2
from psycopg2 import sql

ROLE = "willsoft"


def main(data_dir):
    data = pathlib.Path(data_dir).resolve()
    data.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data, cleanup_mode=None)
    info = server.get_postmaster_info()
    host, port = str(info.socket_dir), str(info.port or 5432)
    # pgserver's superuser is "postgres", which Odoo refuses: make our role.
    conn = psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,))
        if not cur.fetchone():
            cur.execute(
                sql.SQL("CREATE ROLE {} LOGIN CREATEDB").format(sql.Identifier(ROLE))
            )
    conn.close()
    exports = {"PGHOST": host, "PGPORT": port, "PGUSER": ROLE, "PGPASSWORD": ""}
    print("export " + " ".join(f"{k}={shlex.quote(v)}" for k, v in exports.items()))


def stop(data_dir):
    data = pathlib.Path(data_dir).resolve()
    if (data / "postmaster.pid").exists():
        user = "pgserver" if os.geteuid() == 0 else None  # as pgserver runs it
        pgserver.pg_ctl(["-w", "stop"], pgdata=data, user=user)


if __name__ == "__main__":
    if sys.argv[2:] == ["stop"]:
        stop(sys.argv[1])
    else:
        main(sys.argv[1])
