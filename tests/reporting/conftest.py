import pytest
import time_machine

from tests.reporting.world import NOW, build_world


@pytest.fixture
def travel():
    """The clock stands at NOW (15 June 2026, noon in Berlin) for the whole test."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, travel):
    return build_world()
