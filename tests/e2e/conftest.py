"""Fixtures of the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DropSystem
from tests.e2e.helpers import MakeRest
from tests.e2e.money import Operator


@pytest.fixture
def operator(make_rest: MakeRest, drop_system: DropSystem) -> Iterator[Operator]:
    with Operator(make_rest, drop_system) as operator:
        yield operator
