"""The attach scenario is one DBA's session told in steps (each its own test, in file order): a step
whose predecessor failed cannot pass for the right reason, so it fails at once naming that step,
instead of failing later on a missing password file or a server left in another state."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

_FAILED: dict[str, str] = {}  # module -> the first step that failed


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed and item.get_closest_marker("scenario_step") is not None:
        _FAILED.setdefault(item.module.__name__ if hasattr(item, "module") else item.nodeid, item.name)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("scenario_step") is None:
        return
    module = item.module.__name__ if hasattr(item, "module") else item.nodeid
    if module in _FAILED:
        pytest.fail(f"an earlier step of this scenario failed ({_FAILED[module]}): this one would test nothing")
