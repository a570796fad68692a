"""The twin's services: ``common`` (version, login, authenticate) and ``object`` (execute, execute_kw),
plus the JSON-2 call, each run in one database transaction (commit on success, rollback on error).

A PostgreSQL integrity error becomes a ``ValidationError`` as in Odoo 17/18 (``odoo.service.model``
turns IntegrityError into a user-facing ValidationError); the constraint messages are Odoo's.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

import psycopg2
import psycopg2.errors
import psycopg2.extensions

from sandbox.odoo import meta, methods
from sandbox.odoo.auth import Authenticator
from sandbox.odoo.errors import AccessDenied, HttpError, OdooError, ValidationError
from sandbox.odoo.orm import Env
from sandbox.odoo.registry import Registry, build_registry

Connect = Callable[[], psycopg2.extensions.connection]
SUPPORTED_VERSIONS = ("18.0", "19.0")
_CONSTRAINT_MESSAGES = {
    "res_partner_check_name": "Contacts require a name",
    "stock_warehouse_warehouse_name_uniq": "The name of the warehouse must be unique per company!",
    "stock_warehouse_warehouse_code_uniq": "The short name of the warehouse must be unique per company!",
    "res_users_login_key": "You can not have two users with the same login!",
}


class DatabaseNotFound(OdooError):
    name = "psycopg2.OperationalError"
    http_status = 404


def version_info(version: str) -> dict[str, Any]:
    """``common.version()`` / ``/web/webclient/version_info`` (odoo/service/common.py)."""
    major, minor = (int(part) for part in version.split("."))
    return {
        "server_version": version,
        "server_version_info": [major, minor, 0, "final", 0, ""],
        "server_serie": version,
        "protocol_version": 1,
    }


def integrity_message(exc: psycopg2.IntegrityError) -> str:
    diag = exc.diag
    if diag.constraint_name in _CONSTRAINT_MESSAGES:
        # odoo.service.model._as_validation_error: "The operation cannot be completed: %s" % the
        # constraint's translated message (recorded from a real 18.0).
        return f"The operation cannot be completed: {_CONSTRAINT_MESSAGES[diag.constraint_name]}"
    if isinstance(exc, psycopg2.errors.NotNullViolation):
        return (
            "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"
            "- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n"
            f"Model: {diag.table_name}, Field: {diag.column_name}"
        )
    if isinstance(exc, psycopg2.errors.ForeignKeyViolation):
        return (
            "The operation cannot be completed: another model requires the record being deleted. "
            f"If possible, archive it instead.\n\nModel: {diag.table_name}, Constraint: {diag.constraint_name}"
        )
    return f"The operation cannot be completed: {diag.message_primary}"


class OdooService:
    """One database served as Odoo ``version``; thread-safe (a small pool of connections)."""

    def __init__(self, connect: Connect, database: str, version: str = "18.0", pool_size: int = 4) -> None:
        if version not in SUPPORTED_VERSIONS:
            raise ValueError(f"the Odoo twin speaks {', '.join(SUPPORTED_VERSIONS)}, not {version!r}")
        self.database = database
        self.version = version
        self.auth = Authenticator()
        self._connect = connect
        self._idle: queue.LifoQueue[psycopg2.extensions.connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(pool_size)
        with self.transaction() as cur:
            self.registry: Registry = build_registry(cur, version)

    # -- connections -------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        with self._slots:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._connect()
                conn.autocommit = False
            try:
                with conn.cursor() as cur:
                    yield cur
                conn.commit()
            except psycopg2.IntegrityError as exc:
                conn.rollback()
                raise ValidationError(integrity_message(exc)) from exc
            except BaseException:
                if not conn.closed:
                    conn.rollback()
                raise
            finally:
                if not conn.closed:
                    self._idle.put(conn)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    def _check_db(self, db: Any) -> None:
        if db != self.database:
            raise DatabaseNotFound(f'connection to server failed: FATAL:  database "{db}" does not exist')

    # -- common ------------------------------------------------------------------------
    def login(self, db: Any, login: Any, password: Any) -> int | bool:
        """``common.login``/``authenticate``: the uid, or False (Odoo answers False, not an error)."""
        self._check_db(db)
        with self.transaction() as cur:
            uid = self.auth.login(cur, login, password)
        return uid if uid is not None else False

    # -- object ------------------------------------------------------------------------
    def execute_kw(
        self, db: Any, uid: Any, password: Any, model: Any, method: Any, args: Any = None, kwargs: Any = None
    ) -> Any:
        self._check_db(db)
        args = list(args or [])
        kwargs = dict(kwargs or {})
        context = kwargs.pop("context", None) or {}
        with self.transaction() as cur:
            if not self.auth.check_uid(cur, uid, password):
                raise AccessDenied()
            try:
                result = self._dispatch(Env(cur, self.registry, uid, context), str(model), str(method), args, kwargs)
            except methods.BindError as exc:  # Python's own TypeError, named after the model's class
                owner = "".join(part.capitalize() for part in str(model).split("."))
                raise TypeError(f"{owner}.{method}() {exc}") from None
            if method == "create" and not args and int(self.version.split(".")[0]) < 19:
                # odoo.api.call_kw (17/18): ``result.id if isinstance(args[0], Mapping) else result.ids``
                # after creating, so the keyword form {'vals_list': [...]} fails and is rolled back
                raise IndexError("tuple index out of range")
            return result

    def _dispatch(self, env: Env, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if model == "ir.model":
            return meta.ir_model(env, method, args, kwargs)
        if model == "ir.model.data":
            return meta.ir_model_data(env, method, args, kwargs)
        return methods.call(env, model, method, args, kwargs)

    # -- JSON-2 (19.0) -------------------------------------------------------------------
    def key_user(self, key: str) -> int | None:
        with self.transaction() as cur:
            return self.auth.key_user(cur, key)

    def json2_call(self, uid: int, model: str, method: str, body: dict[str, Any]) -> Any:
        """Named arguments only; ``ids`` selects records, ``context`` the context; a create returns ids."""
        body = dict(body)
        ids = body.pop("ids", None)
        context = body.pop("context", None) or {}
        with self.transaction() as cur:
            env = Env(cur, self.registry, uid, context)
            if model in ("ir.model", "ir.model.data"):
                return self._dispatch(env, model, method, [], body)
            env.model(model)
            target = methods.resolve(model, method)
            if ids is not None and not target.on_records:
                raise HttpError(422, "UnprocessableEntity", f"cannot call {model}.{method} with ids")
            args = [ids if ids is not None else []] if target.on_records else []
            if method == "create" and isinstance(body.get("vals_list"), dict):
                body["vals_list"] = [body["vals_list"]]  # a recordset comes back: always a list of ids
            try:
                return methods.call(env, model, method, args, body)
            except methods.BindError as exc:
                raise HttpError(422, "UnprocessableEntity", str(exc)) from exc
