"""Failed password sign-ins per account, for the per-account throttle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from drop_server.db.models.base import Base


class SignInFailures(Base):
    __tablename__ = "sign_in_failures"

    # SHA-256 of the normalised email: unknown addresses are throttled too (the same answer
    # for every email), without keeping a list of emails someone typed.
    account_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
