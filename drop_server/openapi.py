"""OpenAPI 3.1 for the REST API, generated from the descriptor set that Envoy serves.

It describes what Envoy really answers: JSON names as the transcoder prints them (`json_name`),
the `{"data": ...}` envelopes, query and path parameters, the success status of each route and
its documented errors (from the `(drop.v1.route)` option), value rules of request fields (from
`(drop.v1.rules)`: enums, patterns, bounds, lengths), an example per operation, required fields
(`google.api.field_behavior` in requests, everything not `optional` in responses), and the
cookie, bearer and API-key schemes. `make gen` writes it to gen/openapi.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from google.api import annotations_pb2, field_behavior_pb2, http_pb2
from google.protobuf import descriptor_pb2

from drop.v1 import field_rules_pb2, route_pb2
from drop_server import __version__
from drop_server.domain.permissions import Permission, holders
from drop_server.field_rules import json_schema
from drop_server.openapi_examples import add_examples

PACKAGE = "drop.v1"
FieldProto = descriptor_pb2.FieldDescriptorProto
JSON = dict[str, Any]

# Source-info paths (descriptor.proto field numbers).
MESSAGE_TYPE, SERVICE, FIELD, NESTED_TYPE, METHOD = 4, 6, 2, 3, 2

SCALARS: dict[int, JSON] = {
    FieldProto.TYPE_DOUBLE: {"type": "number", "format": "double"},
    FieldProto.TYPE_FLOAT: {"type": "number", "format": "float"},
    FieldProto.TYPE_INT32: {"type": "integer", "format": "int32"},
    FieldProto.TYPE_SINT32: {"type": "integer", "format": "int32"},
    FieldProto.TYPE_SFIXED32: {"type": "integer", "format": "int32"},
    FieldProto.TYPE_UINT32: {"type": "integer", "format": "int32", "minimum": 0},
    FieldProto.TYPE_FIXED32: {"type": "integer", "format": "int32", "minimum": 0},
    # 64-bit integers are JSON strings in the protobuf mapping.
    FieldProto.TYPE_INT64: {"type": "string", "format": "int64"},
    FieldProto.TYPE_SINT64: {"type": "string", "format": "int64"},
    FieldProto.TYPE_SFIXED64: {"type": "string", "format": "int64"},
    FieldProto.TYPE_UINT64: {"type": "string", "format": "int64"},
    FieldProto.TYPE_FIXED64: {"type": "string", "format": "int64"},
    FieldProto.TYPE_BOOL: {"type": "boolean"},
    FieldProto.TYPE_STRING: {"type": "string"},
    FieldProto.TYPE_BYTES: {"type": "string", "format": "byte"},
}
WELL_KNOWN: dict[str, JSON] = {
    ".google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    ".google.protobuf.Duration": {"type": "string"},
    ".google.protobuf.Struct": {"type": "object"},
    ".google.protobuf.Value": {},
    ".google.protobuf.Empty": {"type": "object"},
}
STATUS_TEXT = {
    400: "Malformed request or invalid input",
    401: "No valid session or API key",
    402: "Insufficient balance",
    403: "Not allowed for this caller",
    404: "Not found, or not the caller's",
    409: "Conflict",
    410: "Gone",
    422: "Validation failed",
    413: "Request body over the size limit",
    415: "Request body is not application/json",
    429: "Too many requests (X-RateLimit-* headers and Retry-After)",
    500: "Internal error",
    503: "Service unavailable",
}
USER_SECURITY = [{"cookieAuth": []}, {"bearerAuth": []}]
SECURITY_SCHEMES = {
    "cookieAuth": {
        "type": "apiKey",
        "in": "cookie",
        "name": "drop_token",
        "description": "Web session: httpOnly cookie set by register, login and refresh.",
    },
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "Mobile session: the token that register/login/refresh return when the "
        "request carries `X-Drop-Client: mobile`.",
    },
    "apiKeyAuth": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": "Machine access; keys are scoped (admin, settlement, rates).",
    },
}


@dataclass
class _Message:
    proto: descriptor_pb2.DescriptorProto
    comments: dict[tuple[int, ...], str]
    path: tuple[int, ...]


def _comments(file: descriptor_pb2.FileDescriptorProto) -> dict[tuple[int, ...], str]:
    found = {}
    for location in file.source_code_info.location:
        text = (location.leading_comments or location.trailing_comments).strip()
        if text:
            found[tuple(location.path)] = " ".join(line.strip() for line in text.splitlines())
    return found


class _Index:
    def __init__(self, files: descriptor_pb2.FileDescriptorSet) -> None:
        self.messages: dict[str, _Message] = {}
        self.enums: dict[str, descriptor_pb2.EnumDescriptorProto] = {}
        self.files = list(files.file)
        for file in self.files:
            comments = _comments(file)
            for i, message in enumerate(file.message_type):
                self._add(f".{file.package}", message, comments, (MESSAGE_TYPE, i))
            for enum in file.enum_type:
                self.enums[f".{file.package}.{enum.name}"] = enum

    def _add(
        self,
        scope: str,
        message: descriptor_pb2.DescriptorProto,
        comments: dict[tuple[int, ...], str],
        path: tuple[int, ...],
    ) -> None:
        name = f"{scope}.{message.name}"
        self.messages[name] = _Message(message, comments, path)
        for j, nested in enumerate(message.nested_type):
            self._add(name, nested, comments, (*path, NESTED_TYPE, j))
        for enum in message.enum_type:
            self.enums[f"{name}.{enum.name}"] = enum


class _Builder:
    def __init__(self, index: _Index) -> None:
        self.index = index
        self.schemas: JSON = {}

    def _field_schema(self, field: descriptor_pb2.FieldDescriptorProto, *, request: bool) -> JSON:
        if field.type == FieldProto.TYPE_MESSAGE:
            entry = self.index.messages.get(field.type_name)
            if entry is not None and entry.proto.options.map_entry:
                value = entry.proto.field[1]
                return {
                    "type": "object",
                    "additionalProperties": self._field_schema(value, request=request),
                }
            if field.type_name in WELL_KNOWN:
                item = dict(WELL_KNOWN[field.type_name])
            else:
                item = {
                    "$ref": "#/components/schemas/"
                    + self.message_schema(field.type_name, request=request)
                }
        elif field.type == FieldProto.TYPE_ENUM:
            item = {
                "type": "string",
                "enum": [v.name for v in self.index.enums[field.type_name].value],
            }
        else:
            item = dict(SCALARS[field.type])
        listing: JSON = {}
        if request:
            # The value rules the server enforces, from `(drop.v1.rules)` (field_rules.proto).
            values, listing = json_schema(
                field.options.Extensions[field_rules_pb2.rules],
                repeated=field.label == FieldProto.LABEL_REPEATED,
            )
            item.update(values)
        if field.label == FieldProto.LABEL_REPEATED:
            return {"type": "array", "items": item, **listing}
        return item

    def message_schema(
        self, type_name: str, *, request: bool, exclude: frozenset[str] = frozenset()
    ) -> str:
        """Adds the message to components (once) and returns its component name."""
        entry = self.index.messages[type_name]
        name = type_name.removeprefix(f".{PACKAGE}.").replace(".", "")
        if name in self.schemas:
            return name
        schema: JSON = {"type": "object", "properties": {}}
        self.schemas[name] = schema
        if entry.path in entry.comments:
            schema["description"] = entry.comments[entry.path]
        required = []
        for position, field in enumerate(entry.proto.field):
            if field.name in exclude:
                continue
            prop = self._field_schema(field, request=request)
            comment = entry.comments.get((*entry.path, FIELD, position))
            if comment and "$ref" not in prop:
                prop["description"] = comment
            schema["properties"][field.json_name] = prop
            behaviors = field.options.Extensions[field_behavior_pb2.field_behavior]
            if request:
                if field_behavior_pb2.REQUIRED in behaviors:
                    required.append(field.json_name)
                else:
                    _accept_null(prop, field)
            elif not field.proto3_optional:
                # The transcoder prints every non-optional field, zero values included.
                required.append(field.json_name)
        if required:
            schema["required"] = required
        return name


def _accept_null(prop: JSON, field: descriptor_pb2.FieldDescriptorProto) -> None:
    """The transcoder reads JSON `null` as "not set" (protobuf's JSON mapping), so an optional
    scalar of a request body may be null: say so, or fuzzers expect it to be refused."""
    if field.label == FieldProto.LABEL_REPEATED or "type" not in prop:
        return
    prop["type"] = [prop["type"], "null"]
    if "enum" in prop:
        prop["enum"] = [*prop["enum"], None]


def documented_error_statuses(route: route_pb2.Route, *, has_body: bool = False) -> set[int]:
    """Every error status a route may answer: its own, plus malformed input (400), internal
    errors (500), an unavailable database or worker (503) and the per-address budget every
    method has at Envoy (429); 401 where a caller is needed; a body over the size limit (413) or
    not JSON (415) where the route takes one."""
    statuses = {400, 429, 500, 503, *route.error_statuses}
    if route.access != route_pb2.ACCESS_PUBLIC:
        statuses.add(401)
    if has_body:
        statuses |= {413, 415}
    return statuses


def _http_rule(method: descriptor_pb2.MethodDescriptorProto) -> tuple[str, str, str] | None:
    rule: http_pb2.HttpRule = method.options.Extensions[annotations_pb2.http]
    verb = rule.WhichOneof("pattern")
    if verb is None or verb == "custom":
        return None
    return verb, getattr(rule, verb), rule.body


def _has_required_field(
    message: descriptor_pb2.DescriptorProto, *, exclude: frozenset[str]
) -> bool:
    return any(
        field_behavior_pb2.REQUIRED in field.options.Extensions[field_behavior_pb2.field_behavior]
        for field in message.field
        if field.name not in exclude
    )


def _error_response(status: int) -> JSON:
    return {
        "description": STATUS_TEXT.get(status, "Error"),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }


def _operation(
    builder: _Builder,
    service: descriptor_pb2.ServiceDescriptorProto,
    method: descriptor_pb2.MethodDescriptorProto,
    comment: str | None,
) -> tuple[str, str, JSON] | None:
    binding = _http_rule(method)
    if binding is None:
        return None
    verb, path, body = binding
    route = method.options.Extensions[route_pb2.route]
    request = builder.index.messages[method.input_type].proto
    path_fields = frozenset(re.findall(r"\{([^}=]+)", path))
    parameters: list[JSON] = []
    operation: JSON = {
        "operationId": f"{service.name}_{method.name}",
        "tags": [service.name],
        "parameters": parameters,
    }
    if comment:
        operation["summary"] = comment.split(". ")[0].rstrip(".")
        operation["description"] = comment
    for field in request.field:
        if field.name in path_fields:
            parameters.append(
                {
                    "name": field.name,
                    "in": "path",
                    "required": True,
                    "schema": builder._field_schema(field, request=True),
                }
            )
        elif not body and field.type != FieldProto.TYPE_MESSAGE:
            required = (
                field_behavior_pb2.REQUIRED
                in field.options.Extensions[field_behavior_pb2.field_behavior]
            )
            parameters.append(
                {
                    "name": field.json_name,
                    "in": "query",
                    "required": required,
                    "schema": builder._field_schema(field, request=True),
                }
            )
    if body == "*":
        schema = builder.message_schema(method.input_type, request=True, exclude=path_fields)
        # Required when the message has a required field: then a missing body is a 400.
        operation["requestBody"] = {
            "required": _has_required_field(request, exclude=path_fields),
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }

    response_name = builder.message_schema(method.output_type, request=False)
    output = builder.index.messages[method.output_type].proto
    data = next((f for f in output.field if f.name == "data"), None)
    if data is not None and data.type == FieldProto.TYPE_MESSAGE:
        data_fields = builder.index.messages[data.type_name].proto.field
        # Session routes hand mobile apps a token, BankID start routes a flow handle.
        mobile_field = next(
            (f.json_name for f in data_fields if f.name in ("token", "flow_handle")), None
        )
        if mobile_field is not None:
            returned = "`token` and `expiresAt`" if mobile_field == "token" else "`flowHandle`"
            parameters.append(
                {
                    "name": "X-Drop-Client",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": f"`mobile` returns {returned} in `data` "
                    "instead of setting the cookie.",
                }
            )

    if route.idempotent:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                "description": "A retry with the same key and body answers the first response "
                "and moves no money twice; the same key with another body is 409. Kept 24 hours, "
                "per user.",
            }
        )
    success = route.success_status or 200
    responses: JSON = {}
    if method.server_streaming:
        _describe_event_stream(parameters, responses, response_name)
    elif success == 204:
        responses["204"] = {"description": "No content"}
    else:
        for other in route.other_success_statuses:
            responses[str(other)] = {
                "description": "Success",
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{response_name}"}
                    }
                },
            }
        responses[str(success)] = {
            "description": "Success",
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{response_name}"}}
            },
        }
    if success == 302:
        responses["302"]["headers"] = {
            "Location": {"schema": {"type": "string"}, "description": "Where to go next"}
        }
    errors = documented_error_statuses(route, has_body=body == "*")
    if route.access != route_pb2.ACCESS_PUBLIC:
        operation["security"] = (
            [*USER_SECURITY, {"apiKeyAuth": []}]
            if route.access == route_pb2.ACCESS_USER_OR_KEY
            else USER_SECURITY
        )
    else:
        operation["security"] = []
    _describe_access_rules(operation, route)
    if route.per_ip_per_minute:
        operation["description"] = (
            operation.get("description", "")
            + f" Limited to {route.per_ip_per_minute} requests a minute per client IP."
        ).strip()
    for status in sorted(errors):
        responses[str(status)] = _error_response(status)
    if route.degraded_status:
        # The route answers this status with its own body; Envoy may still answer it with the
        # error envelope when no worker is reachable.
        responses[str(route.degraded_status)] = {
            "description": "Degraded: the normal body, reporting what is down (or the error "
            "envelope from Envoy when no worker answers)",
            "content": {
                "application/json": {
                    "schema": {
                        "anyOf": [
                            {"$ref": f"#/components/schemas/{response_name}"},
                            {"$ref": "#/components/schemas/ErrorResponse"},
                        ]
                    }
                }
            },
        }
    operation["responses"] = responses
    if not parameters:
        del operation["parameters"]
    return path, verb, operation


SSE_EXAMPLE = (
    'data: {"id":"","type":"heartbeat","data":{},"timestamp":"2026-02-23T12:00:00.000Z",'
    '"version":"1"}\n\n'
    'data: {"id":"evt_42","type":"payment.received","data":{"id":"tx_qr_a1b2c3d4e5f60718",'
    '"merchantId":"mer_a1b2c3d4e5f60718","amount":89.5,"currency":"NOK",'
    '"reference":"DROP-A1B2C3D4E5","createdAt":"2026-02-23T12:00:00.000Z",'
    '"completedAt":"2026-02-23T12:00:00.120Z"},"timestamp":"2026-02-23T12:00:00.120Z",'
    '"version":"1"}\n\n'
)


def _describe_event_stream(parameters: list[JSON], responses: JSON, message: str) -> None:
    """A server stream over REST: Server-Sent Events, one `data:` line per message."""
    parameters.append(
        {
            "name": "Last-Event-ID",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "pattern": "^evt_[0-9]+$"},
            "description": "Resume after this event (the SSE convention); `after` wins.",
        }
    )
    responses["200"] = {
        "description": "Server-Sent Events: the stream stays open; each event is a line "
        f"`data: <{message} as JSON>` followed by an empty line. A `heartbeat` comes at once and "
        "whenever nothing else has for a while.",
        "content": {
            "text/event-stream": {
                "schema": {"type": "string"},
                "x-drop-event-schema": {"$ref": f"#/components/schemas/{message}"},
                "example": SSE_EXAMPLE,
            }
        },
    }


def _describe_access_rules(operation: JSON, route: route_pb2.Route) -> None:
    """Who may call a back-office route (its permission, and the roles and API-key scopes that
    hold it), and the feature flags that hide a route while off."""
    notes = []
    if route.permission != route_pb2.PERMISSION_UNSPECIFIED:
        name = route_pb2.Permission.Name(route.permission).removeprefix("PERMISSION_").lower()
        roles, scopes = holders(Permission(name))
        operation["x-drop-permission"] = name
        notes.append(
            f"Permission `{name}`: roles {', '.join(f'`{r}`' for r in roles)}; "
            f"API-key scopes {', '.join(f'`{s}`' for s in scopes)}."
        )
    if route.feature_flags:
        flags = ", ".join(f"`{f}`" for f in route.feature_flags)
        notes.append(f"Feature flags {flags}: while one is off the route answers 404 to everyone.")
    if notes:
        operation["description"] = " ".join([operation.get("description", ""), *notes]).strip()


def _static_paths() -> JSON:
    """Routes Envoy answers itself, without a gRPC method behind them."""
    gone = {
        "description": "Drop holds no money: every `/api/wallet` and `/api/wallet/*` route "
        "answers 410.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }
    return {
        "/api/openapi.json": {
            "get": {
                "operationId": "GetOpenApi",
                "tags": ["Docs"],
                "summary": "This document",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1 document",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/api/docs": {
            "get": {
                "operationId": "GetApiDocs",
                "tags": ["Docs"],
                "summary": "Human-readable API docs (Swagger UI)",
                "security": [],
                "responses": {
                    "200": {
                        "description": "HTML page",
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/api/wallet": {
            "get": {
                "operationId": "Wallet",
                "tags": ["Retired"],
                "summary": "Retired: there is no wallet",
                "deprecated": True,
                "security": [],
                "responses": {"410": gone},
            }
        },
    }


# Tags of the routes Envoy answers itself (see _static_paths).
STATIC_TAGS = [
    {"name": "Docs", "description": "This document and the Swagger UI page that shows it."},
    {"name": "Retired", "description": "Routes of the source documents that are gone for good."},
]


def declared_tags(index: _Index) -> list[JSON]:
    """One tag per service, described by the service's comment in its .proto."""
    tags = []
    for file in index.files:
        if file.package != PACKAGE:
            continue
        comments = _comments(file)
        for s, service in enumerate(file.service):
            tag: JSON = {"name": service.name}
            if (SERVICE, s) in comments:
                tag["description"] = comments[(SERVICE, s)]
            tags.append(tag)
    return sorted(tags, key=lambda tag: tag["name"]) + STATIC_TAGS


def build_openapi(files: descriptor_pb2.FileDescriptorSet) -> JSON:
    index = _Index(files)
    builder = _Builder(index)
    paths: JSON = {}
    for file in index.files:
        if file.package != PACKAGE:
            continue
        comments = _comments(file)
        for s, service in enumerate(file.service):
            for m, method in enumerate(service.method):
                built = _operation(builder, service, method, comments.get((SERVICE, s, METHOD, m)))
                if built is not None:
                    path, verb, operation = built
                    paths.setdefault(path, {})[verb] = operation
    builder.message_schema(f".{PACKAGE}.ErrorResponse", request=False)
    paths.update(_static_paths())
    add_examples(paths, builder.schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Drop API",
            "version": __version__,
            "description": "REST form of the Drop gRPC services, served by Envoy's gRPC-JSON "
            'transcoder. Errors: `{"error", "message", "details"}`. '
            "Generated from proto/ by `make gen`; do not edit.",
        },
        # Relative: the server that served this document (any host and port), so "Try it
        # out" on /api/docs and clients that load the document from a server just work.
        "servers": [{"url": "/", "description": "The Drop server that serves this document"}],
        "tags": declared_tags(index),
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(builder.schemas.items())),
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
