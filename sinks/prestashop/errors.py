"""The PrestaShop status table: which Webservice answers are worth retrying and which go to the DLQ.

The same role as ``sinks/odoo/errors.py``: the client classifies every answer here. A refused key
(401: wrong key, or a resource the key may not use; 403: the key not associated with the shop) is
:class:`~sinks.common.errors.CredentialsRefused`, the policy of every sink: the partition pauses with
an alert until an operator fixes the key, and no command is dead-lettered for it.
"""

from __future__ import annotations

from sinks.common.policy import HttpStatusPolicy, Outcome, Rule

# The one status table of PrestaShop (codes from WebserviceRequest / WebserviceOutputBuilder).
PRESTASHOP_STATUS_POLICY = HttpStatusPolicy(
    "prestashop",
    rules={
        400: Rule(Outcome.TERMINAL, "rejected: bad parameters or validation error"),
        401: Rule(Outcome.CREDENTIALS, "authentication failed or resource not allowed for the key"),
        403: Rule(Outcome.CREDENTIALS, "the key is not associated with the shop"),
        404: Rule(Outcome.TERMINAL, "unknown reference (no such id)"),
        405: Rule(Outcome.TERMINAL, "method not allowed for the resource or the key"),
        408: Rule(Outcome.TRANSIENT, "request timeout"),
        429: Rule(Outcome.TRANSIENT, "throttled"),
        500: Rule(Outcome.TRANSIENT, "server error (PHP error or save failure)"),
        501: Rule(Outcome.TERMINAL, "not implemented for this resource"),
        502: Rule(Outcome.TRANSIENT, "bad gateway"),
        503: Rule(Outcome.TRANSIENT, "webservice disabled or unavailable"),
        504: Rule(Outcome.TRANSIENT, "gateway timeout"),
    },
)
