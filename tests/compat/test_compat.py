"""Differential compatibility suite: every case runs against redis-server and mokad, in
RESP2 and in RESP3, and the replies must be identical (see README.md)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import ALL_CASES  # noqa: E402

import os  # noqa: E402

AGAINST_REDIS = os.environ.get("MOKAD_TARGET") == "redis"


def _marks(case, proto):
    # One marker per feature area (tests/python/areas.py): `-m hashes` selects an area, and
    # against mokad the cases of areas it does not implement yet are skipped.
    marks = [getattr(pytest.mark, area) for area in case.areas]
    if case.differs and proto in case.differs_protos and not AGAINST_REDIS:
        marks.append(pytest.mark.xfail(strict=True, reason=f"known difference: {case.differs}"))
    return marks


PARAMS = [pytest.param(case, proto, id=f"{case.id}-resp{proto}", marks=_marks(case, proto))
          for case in ALL_CASES for proto in case.protos]


@pytest.mark.parametrize("case,proto", PARAMS)
def test_compat(compat, case, proto):
    compat.run(case, proto)
