"""Order of changes within one source system: Debezium positions made comparable.

``binlog:<file>:<pos>:<row>`` (MariaDB/MySQL) and ``lsn:<n>`` (PostgreSQL), as
``schemas.debezium.ChangeEvent.position`` renders them. One row's changes reach the streams in
commit order, but a restarted worker re-reads what it had not committed while its tables already
hold the newer state: such a replayed change is *older* than one already applied and must not be
applied again (it would be a stale write). Positions alone are not enough to say so (a source
database restored from a backup, or a binlog reset, starts again lower), so a change is older
only when both its position and its commit time say so.
"""

from __future__ import annotations

from datetime import datetime


def position_key(position: str) -> tuple[str, str, int, int] | None:
    """A sortable form of a position, or None when it is not one of the known forms."""
    kind, _, rest = position.partition(":")
    try:
        if kind == "lsn":
            return ("lsn", "", int(rest), 0)
        if kind == "binlog":
            file, pos, row = rest.rsplit(":", 2)
            return ("binlog", file, int(pos), int(row))  # file names are numbered with zeros
    except ValueError:
        return None
    return None


def is_older(position: str, source_ts: float, last_position: str, last_ts: float) -> bool:
    """Whether a change at (position, source_ts) comes before one at (last_position, last_ts)."""
    key, last = position_key(position), position_key(last_position)
    if key is None or last is None or key[0] != last[0]:
        return False
    return key < last and source_ts <= last_ts


def log_order(source_ts: datetime, position: str) -> tuple[datetime, tuple[str, str, int, int]]:
    """A sort key of changes of one system: commit time, then position (numerically: as text,
    ``binlog:f:999:0`` would sort after ``binlog:f:1000:0``)."""
    return source_ts, position_key(position) or ("", position, 0, 0)
