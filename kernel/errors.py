"""The one error type the stack commands raise: a message a person can act on, never a traceback."""

from __future__ import annotations


class StackError(RuntimeError):
    """A stack component could not be brought to the wanted state.

    ``hint`` says what to do about it; the CLI prints both and exits non-zero.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}\n  hint: {self.hint}" if self.hint else text
