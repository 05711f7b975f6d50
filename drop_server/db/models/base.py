"""The declarative base and column helpers shared by every table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Numeric, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

MONEY = Numeric(18, 2)
RATE = Numeric(18, 6)


class Base(DeclarativeBase):
    pass


def creation_time() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


def optional_time() -> Mapped[datetime | None]:
    return mapped_column(DateTime(timezone=True))


def owned_by_drop(name: str | None, type_: str, parent_names: object) -> bool:
    """Schema objects the models describe: the job queue's own tables (procrastinate's schema,
    installed by migration 0009) are left out of autogenerate comparisons."""
    return not (type_ == "table" and name is not None and name.startswith("procrastinate_"))
