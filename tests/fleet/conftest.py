"""The test fleet, built once per session: 50 bare remotes of a tiny versioned template."""

from __future__ import annotations

import pytest

from tests.fleet.fleet_builder import Fleet, build_fleet


@pytest.fixture(scope="session")
def built_fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    """Shared and read-only: tests that push copy it first (`copy_fleet`)."""
    return build_fleet(tmp_path_factory.mktemp("fleet"), size=50)
