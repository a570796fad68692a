"""Pieces shared by the API twins (PrestaShop, Odoo): HTTP base, fault injection, call recording."""

from sandbox.common.calls import CallRecord, CallRecorder
from sandbox.common.faults import Fault, FaultInjector
from sandbox.common.server import TwinRequestHandler, TwinResponse, TwinServer

__all__ = [
    "CallRecord",
    "CallRecorder",
    "Fault",
    "FaultInjector",
    "TwinRequestHandler",
    "TwinResponse",
    "TwinServer",
]
