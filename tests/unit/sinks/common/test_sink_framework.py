"""The sink framework's pure parts: status table, retries, lanes, command headers, redaction."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from sandbox.sample import commands as samples
from schemas import topics
from schemas.codec import make_codec
from sinks.common.commands import ack_record, command_headers, dead_letter_headers, read_command
from sinks.common.dispatch import Blocked, Dead, Dispatcher, Done, Schedule
from sinks.common.errors import CredentialsRefused, TerminalError, TransientError, redact
from sinks.common.handlers import Applied, CommandMeta
from sinks.common.policy import HttpStatusPolicy, retry_after_seconds
from sinks.common.retry import RetriesExhausted, RetryPolicy, Stopped, call_with_retries
from sinks.odoo.errors import ODOO_HTTP_POLICY, rpc_error

pytestmark = pytest.mark.unit
CODEC = make_codec()


def test_status_table_defaults_and_overrides() -> None:
    policy = HttpStatusPolicy("x")
    assert policy.classify(200, {}, "") is None
    assert isinstance(policy.classify(503, {}, ""), TransientError)
    assert isinstance(policy.classify(422, {}, ""), TerminalError)
    throttled = policy.classify(429, {"retry-after": "7"}, "slow down")
    assert isinstance(throttled, TransientError) and throttled.retry_after == 7.0
    # a bad key or missing rights pauses with an alert, never dead-letters: the same policy for every sink
    for status in (401, 403):
        assert isinstance(ODOO_HTTP_POLICY.classify(status, {}, ""), CredentialsRefused)
        assert isinstance(policy.classify(status, {}, ""), CredentialsRefused)
    for name in ("odoo.exceptions.AccessDenied", "odoo.exceptions.AccessError"):
        assert isinstance(rpc_error({"name": name}, request="", response=""), CredentialsRefused)


def test_retry_after_as_http_date() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert retry_after_seconds("soon") is None


def test_odoo_exception_classes_decide_over_status() -> None:
    assert isinstance(
        rpc_error({"name": "odoo.exceptions.ValidationError", "message": "bad"}, request="", response=""), TerminalError
    )
    assert isinstance(
        rpc_error({"name": "psycopg2.errors.SerializationFailure"}, request="", response=""), TransientError
    )
    fallback = TransientError("odoo: HTTP 500")
    assert rpc_error({"name": "some.Unknown"}, request="", response="", default=fallback) is fallback


def test_retries_are_bounded_and_honour_retry_after() -> None:
    calls: list[float] = []
    waits: list[float] = []

    def flaky() -> str:
        calls.append(1)
        raise TransientError("down", retry_after=0.01)

    with pytest.raises(RetriesExhausted) as info:
        call_with_retries(flaky, RetryPolicy(max_attempts=3), threading.Event(), lambda e, w: waits.append(w))
    assert len(calls) == 3 and waits == [0.01, 0.01] and info.value.attempts == 3
    assert RetryPolicy(base_delay=1, max_delay=4, jitter=0).delay(5, None) == 4


def test_a_stop_interrupts_the_backoff_and_terminal_errors_are_not_retried() -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(Stopped):
        call_with_retries(lambda: (_ for _ in ()).throw(TransientError("x")), RetryPolicy(), stop)
    attempts: list[int] = []

    def rejected() -> None:
        attempts.append(1)
        raise TerminalError("no")

    with pytest.raises(TerminalError):
        call_with_retries(rejected, RetryPolicy(), threading.Event())
    assert attempts == [1]


def _command(offset: int, record: object, key: str, partition: int = 0):
    value = CODEC.encode(record)  # type: ignore[arg-type]
    return read_command(CODEC, "cmds", partition, offset, key.encode(), value, command_headers(f"id-{offset}"))


def test_schedule_runs_one_command_per_key_per_round_in_offset_order() -> None:
    a1, b1, a2 = (
        _command(0, samples.customer(1), "A"),
        _command(1, samples.customer(2), "B"),
        _command(2, samples.customer(1), "A"),
    )
    schedule = Schedule([a2, b1, a1])
    first = schedule.next_round()
    assert first == [a1, b1]
    schedule.settle({a1: Blocked(TransientError("x"), 3), b1: Done(Applied({}))})
    assert not schedule  # A's lane stopped at the blocked command, so a2 waits


class _Sink:
    system = "odoo"

    def __init__(self) -> None:
        self.seen: list[int] = []

    def handlers(self):
        def handle(record, meta: CommandMeta) -> Applied:
            self.seen.append(record.shop_customer_id)
            if record.shop_customer_id == 2:
                raise TerminalError("rejected", request="POST /x", response="HTTP 422")
            if record.shop_customer_id == 3:
                raise RuntimeError("bug")
            return Applied({"res.partner": str(record.shop_customer_id)})

        return {type(samples.customer(1)): handle}

    def close(self) -> None:
        pass


def test_dispatcher_turns_every_failure_into_an_outcome() -> None:
    dispatcher = Dispatcher(_Sink(), concurrency=2, batch_size=10, retry=RetryPolicy(), stop=threading.Event())
    commands = [_command(i, samples.customer(i + 1), f"K{i}") for i in range(3)]
    garbage = read_command(CODEC, "cmds", 0, 9, b"G", b"junk", [])
    outcomes = dispatcher.run_round([*commands, garbage])
    dispatcher.close()
    assert outcomes[commands[0]] == Done(Applied({"res.partner": "1"}))
    assert outcomes[commands[1]] == Dead("ApiRejected", "rejected", "POST /x", "HTTP 422")
    bug, undecodable = outcomes[commands[2]], outcomes[garbage]
    assert isinstance(bug, Dead) and bug.error_class == "HandlerBug"
    assert isinstance(undecodable, Dead) and undecodable.error_class == "Undecodable"


def test_command_headers_round_trip_and_dead_letter_headers() -> None:
    record = samples.customer(5)
    headers = command_headers(
        "cmd-5", fields=["email", "active"], create_only=["lang"], source_ts=datetime(2025, 1, 1, tzinfo=UTC)
    )
    command = read_command(CODEC, "cmds", 1, 42, b"PS-5", CODEC.encode(record), headers)
    assert command.canonical == record
    assert command.meta.fields == {"email", "active"} and command.meta.create_only == {"lang"}
    assert command.meta.asserts("email") and not command.meta.asserts("lang") and not command.meta.asserts("name")
    dlq = dict(
        dead_letter_headers(
            command,
            error_class="ApiRejected",
            reason="r",
            request="q",
            response="a",
            now=datetime(2025, 1, 1, tzinfo=UTC),
        )
    )
    assert dlq[topics.HEADER_DLQ_OFFSET] == b"42" and dlq[topics.HEADER_COMMAND_ID] == b"cmd-5"
    assert dlq[topics.HEADER_DLQ_TOPIC] == b"cmds" and dlq[topics.HEADER_DLQ_KEY] == b"PS-5"


def test_what_a_command_replaces_travels_in_its_headers_and_a_refusal_acks_stale() -> None:
    record = samples.status_change("R1", "processing")
    headers = command_headers("cmd-6", fields=["state"], expected={"state": "paid"})
    command = read_command(CODEC, "cmds", 0, 7, b"R1", CODEC.encode(record), headers)
    assert command.meta.expected == {"state": "paid"}
    assert not command.meta.outdated("state", "paid") and command.meta.outdated("state", "cancelled")
    assert not command.meta.outdated("other", "x")  # unknown: no check
    refused = ack_record(
        command,
        Applied.refused({"orders": "1"}, {"state": "cancelled"}),
        "prestashop",
        datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert (refused.status, refused.written) == ("stale", {"state": "cancelled"})
    assert (
        ack_record(
            command, Applied({"orders": "1"}, {}, changed=False), "prestashop", datetime(2025, 1, 1, tzinfo=UTC)
        ).status
        == "unchanged"
    )
    # an unreadable header means "unknown", never a dead letter
    broken = [*command_headers("cmd-7"), (topics.HEADER_EXPECTED, b"{not json")]
    assert read_command(CODEC, "cmds", 0, 8, b"R1", CODEC.encode(record), broken).meta.expected == {}


def test_redaction_removes_keys_and_secret_fields() -> None:
    text = redact('{"args": ["db", 6, "abcdef123456", "res.partner"], "password": "hunter2"}', ("abcdef123456",))
    assert "abcdef123456" not in text and "hunter2" not in text
