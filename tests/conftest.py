"""Shared fixtures: one real emulator process per test session, cleaned between tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.emulator_process import EmulatorProcess

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def emulator_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    with EmulatorProcess(tmp_path_factory.mktemp("emulator")) as emu:
        yield emu


@pytest.fixture
def emulator(emulator_session: EmulatorProcess) -> EmulatorProcess:
    """The session's emulator with empty state, no faults, zero counts and no lifecycle delays."""
    emulator_session.admin.reset()
    emulator_session.admin.delays(provision_seconds=0.0, deletion_seconds=0.0)
    return emulator_session
