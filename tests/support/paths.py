"""Where tests find the repository, the captured fixtures and the upstream reference schemas, whatever
folder a test sits in."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
# The upstream schemas beside the repository (/work/shared/reference); tests that need them skip without.
REFERENCE = REPO.parent / "shared" / "reference"
