"""The ack steps of the processor: a sink's ack re-keyed onto the canonical topic (an ack that does not
decode goes to the streams' DLQ with its bytes, never stops the agent), then, in the entity's partition,
the identity it teaches (target id -> canonical key), the loop guard's acknowledgement, and the stock of
an order the ERP has decided on.
"""

from __future__ import annotations

from collections.abc import Collection

from schemas import topics
from schemas.acks import SinkAck
from schemas.errors import CodecError
from streams import guard_model, loopguard
from streams.assembly_steps import AssemblySteps
from streams.fields import ERP, entity_key
from streams.outputs import H_KIND, Out, Tables
from streams.policy import GuardPolicy
from streams.state_json import guard_from_json


class AckSteps(AssemblySteps):
    policy: GuardPolicy
    shop_visible_states: Collection[str]

    def _apply(self, t: Tables, key: str, step: guard_model.Step, entity: str, canonical_key: str) -> list[Out]:
        raise NotImplementedError  # the Processor's

    def ack_to_canonical(
        self,
        value: bytes | None,
        *,
        topic: str = topics.ACKS,
        partition: int = -1,
        offset: int = -1,
        key: bytes | None = None,
        now: float = 0.0,
    ) -> list[Out]:
        """A sink's ack, re-keyed onto the canonical topic; an ack that does not decode (a tombstone,
        another framing, garbage) goes to the streams' DLQ with the original bytes, never stops the agent."""
        try:
            if value is None:
                raise CodecError("an empty (tombstone) record on the acks topic")
            ack = self.codec.decode(value)
        except (CodecError, ValueError, KeyError, TypeError) as exc:
            return [self._dead(topic, partition, offset, key, value, "Undecodable", str(exc), now)]
        if not isinstance(ack, SinkAck):
            return [
                self._dead(
                    topic,
                    partition,
                    offset,
                    key,
                    value,
                    "NotAnAck",
                    f"a {type(ack).__name__} record on the acks topic",
                    now,
                )
            ]
        if not ack.envelope.canonical_key:
            return []
        canonical_key = "obs:" + entity_key(ack.command_entity, ack.envelope.canonical_key)
        return [Out(self.canonical, canonical_key.encode(), value, [(H_KIND, b"ack")])]

    def _ack(self, t: Tables, key: str, value: bytes, now: float) -> list[Out]:
        ack = self.codec.decode(value)
        assert isinstance(ack, SinkAck) and ack.envelope.canonical_key is not None
        for model, target_id in ack.target_ids.items():
            t.identity[f"{ack.target_system}:{model.replace('.', '_')}:{target_id}"] = ack.envelope.canonical_key
        step = loopguard.acknowledge(
            guard_from_json(t.guard.get(key)),
            guard_model.Ack(
                target_system=ack.target_system,
                entity=ack.command_entity,
                key=ack.envelope.canonical_key,
                command_id=ack.command_id,
                status=ack.status,
                written=ack.written,
                at=now,
            ),
            self.policy,
        )
        outs = self._apply(t, key, step, ack.command_entity, ack.envelope.canonical_key)
        # an order the ERP only holds as a quotation reserves nothing there: it stays in flight until
        # the ERP confirms (or cancels) it (``_observe``, order_status)
        decided = ack.written.get("state") in (None, *self.shop_visible_states)
        if ack.command_entity == "order" and ack.target_system == ERP and decided:
            order = self._shop_order(t, ack.envelope.canonical_key)
            if order is not None:
                outs += self._to_skus(order, value, b"acked")
        return outs
