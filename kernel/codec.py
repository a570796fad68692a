"""The codec of canonical records, built from the settings in one place.

Every component (streams, both sinks, the operator commands, the demo) calls :func:`canonical_codec`,
so all of them agree on the framing: with ``kafka.schema_registry_url`` the Confluent wire format
through that registry (basic auth and CA bundle from the settings), without it Avro single-object
encoding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import requests

from kernel.settings import KafkaSettings, Settings, get_settings, read_secret_file

if TYPE_CHECKING:
    from schemas.codec import Codec


def registry_session(kafka: KafkaSettings) -> requests.Session:
    """An HTTP session for the schema registry: its basic-auth user (password from its file) and CA."""
    session = requests.Session()
    if kafka.schema_registry_username:
        if kafka.schema_registry_password_file is None:
            raise ValueError("kafka.schema_registry_username is set without kafka.schema_registry_password_file")
        password = read_secret_file(kafka.schema_registry_password_file, "schema registry password")
        session.auth = (kafka.schema_registry_username, password.get_secret_value())
    if kafka.schema_registry_cafile:
        session.verify = str(kafka.schema_registry_cafile)
    return session


def canonical_codec(settings: Settings | None = None) -> Codec:
    from schemas.codec import SingleObjectCodec  # Avro is imported only by what encodes or decodes
    from schemas.registry import ConfluentCodec, SchemaRegistryClient

    kafka = (settings or get_settings()).kafka
    if not kafka.schema_registry_url:
        return SingleObjectCodec()
    return ConfluentCodec(SchemaRegistryClient(kafka.schema_registry_url, session=registry_session(kafka)))
