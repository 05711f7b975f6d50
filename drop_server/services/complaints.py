"""Complaints (Finansavtaleloven §3-53): an answer within 15 business days, a status flow
received -> in_review -> resolved, and the user told when it is resolved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, func, select

from drop.v1 import admin_pb2, complaints_pb2
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import Complaint, ComplaintEvent
from drop_server.domain import ids
from drop_server.domain.business_days import OSLO, add_business_days
from drop_server.domain.pagination import PageInfo, page_info, page_request
from drop_server.domain.permissions import Permission
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.field_rules import allowed, max_length, maximum
from drop_server.services.access import require
from drop_server.services.notifications import notify

# Allowed values come from the request's `(drop.v1.rules)` in the .proto, which the OpenAPI
# document shows too: declared once.
CATEGORIES = allowed(complaints_pb2.CreateComplaintRequest, "category")
# The statuses are the `(drop.v1.rules)` of the admin requests (also in the OpenAPI document).
STATUSES = allowed(admin_pb2.UpdateComplaintRequest, "status")
NEXT_STATUS = {"received": ("in_review", "resolved"), "in_review": ("resolved",), "resolved": ()}
RESPONSE_BUSINESS_DAYS = 15
MAX_SUBJECT = max_length(complaints_pb2.CreateComplaintRequest, "subject")
MAX_DESCRIPTION = max_length(complaints_pb2.CreateComplaintRequest, "description")
MAX_RESOLUTION = 2000
COMMITMENT_NOTE = (
    "We will review and respond to your complaint within 15 business days "
    "per Finansavtaleloven §3-53"
)


@dataclass(frozen=True)
class ComplaintForm:
    category: str | None
    subject: str | None
    description: str | None


@dataclass(frozen=True)
class ComplaintPage:
    complaints: list[Complaint]
    page: PageInfo


def respond_by(created: datetime) -> date:
    return add_business_days(created.astimezone(OSLO).date(), RESPONSE_BUSINESS_DAYS)


def _text_problem(value: str, limit: int) -> str | None:
    if not value.strip():
        return "Must not be empty"
    if len(value) > limit:
        return f"Must be at most {limit} characters"
    return None


def file_complaint(db: Database, principal: Principal, form: ComplaintForm) -> Complaint:
    required = {"category": form.category, "subject": form.subject, "description": form.description}
    missing = [FieldError(f, "Is required") for f, v in required.items() if v is None]
    if missing:
        raise ApiError.bad_request(Messages.MISSING_FIELDS, missing)
    assert form.category is not None and form.subject is not None and form.description is not None
    checks = {
        "category": None
        if form.category in CATEGORIES
        else f"Must be one of: {', '.join(CATEGORIES)}",
        "subject": _text_problem(form.subject, MAX_SUBJECT),
        "description": _text_problem(form.description, MAX_DESCRIPTION),
    }
    problems = [FieldError(f, m) for f, m in checks.items() if m]
    if problems:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, problems)
    now = datetime.now(UTC)
    with db.transaction() as session:
        complaint = Complaint(
            id=ids.new_id("cmp"),
            user_id=principal.user_id,
            category=form.category,
            subject=form.subject.strip(),
            description=form.description,
            status="received",
            respond_by=respond_by(now),
            created_at=now,
        )
        session.add(complaint)
        session.flush()
        session.add(ComplaintEvent(complaint_id=complaint.id, status="received"))
    return complaint


def _page(
    db: Database, filters: list[ColumnElement[bool]], page: int | None, limit: int | None
) -> ComplaintPage:
    # At most the `maximum` of the request's `limit` in the .proto (shown in the OpenAPI too).
    most = int(maximum(complaints_pb2.ListComplaintsRequest, "limit"))
    request = page_request(page, limit, default_limit=10, max_limit=most)
    with db.transaction() as session:
        total = session.scalar(select(func.count()).select_from(Complaint).where(*filters)) or 0
        rows = list(
            session.scalars(
                select(Complaint)
                .where(*filters)
                .order_by(Complaint.created_at.desc(), Complaint.id.desc())
                .offset(request.offset)
                .limit(request.limit)
            )
        )
    return ComplaintPage(rows, page_info(request, total))


def my_complaints(
    db: Database, principal: Principal, page: int | None, limit: int | None
) -> ComplaintPage:
    return _page(db, [Complaint.user_id == principal.user_id], page, limit)


def all_complaints(
    db: Database,
    principal: Principal,
    status: str | None,
    overdue: bool | None,
    page: int | None,
    limit: int | None,
    today: date,
) -> ComplaintPage:
    require(principal, Permission.COMPLAINTS_MANAGE)
    if status is not None and status not in STATUSES:
        raise ApiError.bad_request(
            Messages.INVALID_QUERY, [FieldError("status", f"Must be one of: {', '.join(STATUSES)}")]
        )
    filters: list[ColumnElement[bool]] = []
    if status is not None:
        filters.append(Complaint.status == status)
    if overdue:
        filters += [Complaint.status != "resolved", Complaint.respond_by < today]
    return _page(db, filters, page, limit)


def update_complaint(
    db: Database,
    principal: Principal,
    complaint_id: str,
    status: str | None,
    resolution: str | None,
) -> Complaint:
    require(principal, Permission.COMPLAINTS_MANAGE)
    if status not in STATUSES:
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST,
            [FieldError("status", f"Must be one of: {', '.join(STATUSES)}")],
        )
    if status == "resolved" and (resolution is None or _text_problem(resolution, MAX_RESOLUTION)):
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST,
            [FieldError("resolution", f"Required to resolve: 1-{MAX_RESOLUTION} characters")],
        )
    with db.transaction() as session:
        complaint = session.get(Complaint, complaint_id, with_for_update=True)
        if complaint is None:
            raise ApiError.not_found("Complaint not found")
        if status not in NEXT_STATUS[complaint.status]:
            raise ApiError.conflict(
                f"A complaint that is {complaint.status} cannot become {status}"
            )
        complaint.status = status
        if status == "resolved":
            assert resolution is not None
            complaint.resolution = resolution
            complaint.resolved_at = datetime.now(UTC)
            notify(
                session,
                complaint.user_id,
                "complaint_resolved",
                "Your complaint is resolved",
                resolution[:500],
            )
        session.add(ComplaintEvent(complaint_id=complaint.id, status=status))
    return complaint
