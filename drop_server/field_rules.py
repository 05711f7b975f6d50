"""Value rules of request fields, read from the protos' `(drop.v1.rules)` field options.

The rules (allowed values, patterns, bounds, lengths) are declared once, in the .proto; the
services' validation takes its values from here and the OpenAPI document (drop_server/openapi.py)
shows the same rules as JSON Schema, so a generated client or a fuzzer sees what is enforced.
Services keep their own messages and statuses: the rule says what is valid, the route says how
an invalid request is answered.
"""

from __future__ import annotations

import re
from decimal import Decimal

from google.protobuf.message import Message

from drop.v1 import field_rules_pb2

FieldRules = field_rules_pb2.FieldRules


def rules(message: type[Message], field: str) -> FieldRules:
    options = message.DESCRIPTOR.fields_by_name[field].GetOptions()
    return options.Extensions[field_rules_pb2.rules]


def allowed(message: type[Message], field: str) -> tuple[str, ...]:
    values = tuple(rules(message, field).allowed)
    if not values:
        raise LookupError(f"{message.DESCRIPTOR.full_name}.{field} declares no allowed values")
    return values


def pattern(message: type[Message], field: str) -> re.Pattern[str]:
    """Use with fullmatch: JSON Schema's `$` does not accept a trailing newline."""
    declared = rules(message, field).pattern
    if not declared:
        raise LookupError(f"{message.DESCRIPTOR.full_name}.{field} declares no pattern")
    return re.compile(declared)


def max_length(message: type[Message], field: str) -> int:
    declared = rules(message, field)
    if not declared.HasField("max_length"):
        raise LookupError(f"{message.DESCRIPTOR.full_name}.{field} declares no max_length")
    return declared.max_length


def max_items(message: type[Message], field: str) -> int:
    declared = rules(message, field)
    if not declared.HasField("max_items"):
        raise LookupError(f"{message.DESCRIPTOR.full_name}.{field} declares no max_items")
    return declared.max_items


def _bound(message: type[Message], field: str, which: str) -> Decimal:
    """As Decimal: money bounds are compared exactly."""
    declared = rules(message, field)
    if not declared.HasField(which):
        raise LookupError(f"{message.DESCRIPTOR.full_name}.{field} declares no {which}")
    return Decimal(repr(getattr(declared, which)))


def minimum(message: type[Message], field: str) -> Decimal:
    return _bound(message, field, "minimum")


def maximum(message: type[Message], field: str) -> Decimal:
    return _bound(message, field, "maximum")


def json_schema(
    declared: FieldRules, *, repeated: bool
) -> tuple[dict[str, object], dict[str, object]]:
    """The rules as JSON Schema keywords: (for each value, for the list when repeated)."""
    value: dict[str, object] = {}
    if declared.allowed:
        value["enum"] = list(declared.allowed)
    if declared.pattern:
        value["pattern"] = declared.pattern
    for name, keyword in (
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("exclusive_minimum", "exclusiveMinimum"),
    ):
        if declared.HasField(name):
            number = getattr(declared, name)
            value[keyword] = int(number) if number == int(number) else number
    if declared.HasField("min_length"):
        value["minLength"] = declared.min_length
    if declared.HasField("max_length"):
        value["maxLength"] = declared.max_length
    listing: dict[str, object] = {}
    if repeated and declared.HasField("min_items"):
        listing["minItems"] = declared.min_items
    if repeated and declared.HasField("max_items"):
        listing["maxItems"] = declared.max_items
    return value, listing
