"""Small database chores for the scripts, through libpq's PG* variables.

pgdb.py exists NAME      exit 0 when the database exists
pgdb.py drop NAME        drop it if it exists (and its connections)
pgdb.py copy FROM TO     create TO as a copy of FROM
"""

import sys

import psycopg2
from psycopg2 import sql


def connect():
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    return conn


def exists(name):
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return cur.fetchone() is not None


def drop(name):
    conn = connect()
    with conn.cursor() as cur:
        # Client sessions only: an autovacuum worker runs as a superuser, which
        # a role without superuser may not terminate; DROP DATABASE stops it.
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'",
            (name,),
        )
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    conn.close()


def copy(source, target):
    drop(target)
    conn = connect()
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(target), sql.Identifier(source)
            )
        )
    conn.close()


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "exists":
        sys.exit(0 if exists(*args) else 1)
    {"drop": drop, "copy": copy}[command](*args)
