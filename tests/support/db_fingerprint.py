"""What "unchanged" means for a merchant's databases: every table's checksum, and the users with their
password hashes and privileges. Taken before and after attaching; equal except what is meant to change
(the signal tables, the capture user itself)."""

from __future__ import annotations

from typing import Any

SYSTEM_SCHEMAS = ("information_schema", "performance_schema", "sys", "mysql")


def mariadb_fingerprint(conn: Any, skip_tables: set[str], skip_users: set[str]) -> dict[str, Any]:
    """``conn``: an admin DictCursor connection. Tables by ``db.table`` -> CHECKSUM TABLE (full scan);
    accounts ``user@host`` -> mysql.global_priv (plugin, password hash, global privileges) and their
    database / table grants."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES "
            "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN %s",
            (SYSTEM_SCHEMAS,),
        )
        names = sorted(f"{r['s']}.{r['t']}" for r in cur.fetchall())
        names = [n for n in names if n not in skip_tables]
        tables: dict[str, Any] = {}
        for start in range(0, len(names), 50):
            chunk = names[start : start + 50]
            cur.execute(
                "CHECKSUM TABLE " + ", ".join("`{}`.`{}`".format(*n.split(".", 1)) for n in chunk) + " EXTENDED"
            )
            tables.update({str(r["Table"]): r["Checksum"] for r in cur.fetchall()})
        users: dict[str, Any] = {}
        cur.execute("SELECT CONCAT(User, '@', Host) AS a, Priv FROM mysql.global_priv")
        users.update({f"global {r['a']}": r["Priv"] for r in cur.fetchall() if r["a"] not in skip_users})
        cur.execute(
            "SELECT CONCAT(User, '@', Host) AS a, Db, CONCAT_WS(',', Select_priv, Insert_priv, Update_priv, "
            "Delete_priv, Create_priv, Drop_priv, Alter_priv) AS p FROM mysql.db"
        )
        users.update({f"db {r['a']} {r['Db']}": r["p"] for r in cur.fetchall() if r["a"] not in skip_users})
        cur.execute("SELECT CONCAT(User, '@', Host) AS a, Db, Table_name, Table_priv FROM mysql.tables_priv")
        users.update(
            {
                f"table {r['a']} {r['Db']}.{r['Table_name']}": r["Table_priv"]
                for r in cur.fetchall()
                if r["a"] not in skip_users
            }
        )
    return {"tables": tables, "users": users}


def postgres_fingerprint(conn: Any, skip_tables: set[str], skip_roles: set[str]) -> dict[str, Any]:
    """``conn``: a superuser connection to the database. Tables by ``schema.table`` -> md5 of every row
    in a fixed order, plus the row count; roles -> attributes and password hash (pg_authid)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1"
        )
        names = [str(r[0]) for r in cur.fetchall() if r[0] not in skip_tables]
        tables: dict[str, Any] = {}
        for name in names:
            schema, table = name.split(".", 1)
            cur.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                f'FROM "{schema}"."{table}" t'
            )
            tables[name] = cur.fetchone()
        cur.execute(
            "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, "
            "rolbypassrls, rolpassword FROM pg_authid ORDER BY rolname"
        )
        roles = {str(r[0]): r[1:] for r in cur.fetchall() if r[0] not in skip_roles}
    return {"tables": tables, "roles": roles}


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    """Per section, the keys whose value changed, appeared or vanished."""
    out: dict[str, list[str]] = {}
    for section in before:
        b, a = before[section], after[section]
        changed = sorted(k for k in set(b) | set(a) if b.get(k) != a.get(k))
        if changed:
            out[section] = changed
    return out
