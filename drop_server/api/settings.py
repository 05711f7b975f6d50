"""SettingsService: proto <-> services.user_settings."""

from __future__ import annotations

import grpc

from drop.v1 import settings_pb2 as pb
from drop.v1 import settings_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.convert import optional_field
from drop_server.db.engine import Database
from drop_server.db.models import UserSettings
from drop_server.services import user_settings


def settings_message(row: UserSettings) -> pb.Settings:
    return pb.Settings(
        currency=row.currency,
        language=row.language,
        push_enabled=row.push_enabled,
        email_enabled=row.email_enabled,
    )


class SettingsServicer(settings_pb2_grpc.SettingsServiceServicer):
    def __init__(self, db: Database) -> None:
        self._db = db

    def GetSettings(
        self, request: pb.GetSettingsRequest, context: grpc.ServicerContext
    ) -> pb.GetSettingsResponse:
        return pb.GetSettingsResponse(
            data=settings_message(user_settings.get_settings(self._db, current_call().user()))
        )

    def UpdateSettings(
        self, request: pb.UpdateSettingsRequest, context: grpc.ServicerContext
    ) -> pb.UpdateSettingsResponse:
        change = user_settings.SettingsChange(
            **{
                f: optional_field(request, f)
                for f in ("currency", "language", "push_enabled", "email_enabled")
            }
        )
        row = user_settings.update_settings(self._db, current_call().user(), change)
        return pb.UpdateSettingsResponse(data=settings_message(row))
