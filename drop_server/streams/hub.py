"""One LISTEN connection per streams process, fanned out to the open streams of each user.

A notification only wakes a stream; the stream then reads the outbox itself (`id > last`), so
a missed or duplicated notification can never lose or repeat an event. While the LISTEN
connection is being re-established every stream is woken, for what it may have missed."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable

import psycopg

from drop_server.streams.outbox import CHANNEL, parse_notification

log = logging.getLogger("drop.streams")

RECONNECT_SECONDS = 1.0


class Subscription:
    """A stream's doorbell: `wake` when there may be something new for it."""

    def __init__(self, user_id: str, session_id: str | None) -> None:
        self.user_id = user_id
        self.session_id = session_id
        self.revoked = False
        self._event = asyncio.Event()

    def wake(self) -> None:
        self._event.set()

    async def wait(self, timeout: float) -> bool:
        """True when woken, False after `timeout` seconds of quiet."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        self._event.clear()
        return True


class EventHub:
    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._by_user: dict[str, set[Subscription]] = defaultdict(set)
        self._listening = asyncio.Event()

    def subscribe(self, user_id: str, session_id: str | None) -> Subscription:
        subscription = Subscription(user_id, session_id)
        self._by_user[user_id].add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        subscribers = self._by_user.get(subscription.user_id)
        if subscribers is None:
            return
        subscribers.discard(subscription)
        if not subscribers:
            del self._by_user[subscription.user_id]

    def subscriptions(self) -> list[Subscription]:
        return [s for subscribers in self._by_user.values() for s in subscribers]

    @property
    def open_streams(self) -> int:
        return sum(len(subscribers) for subscribers in self._by_user.values())

    def wake_all(self) -> None:
        for subscription in self.subscriptions():
            subscription.wake()

    async def ready(self) -> None:
        await self._listening.wait()

    async def listen_forever(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._url, autocommit=True
                ) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    # Whatever committed while we were not listening.
                    self.wake_all()
                    async for notice in conn.notifies():
                        parsed = parse_notification(notice.payload)
                        if parsed is None:
                            continue
                        for subscription in self._by_user.get(parsed[1], ()):
                            subscription.wake()
            except (psycopg.Error, OSError) as error:
                self._listening.clear()
                log.warning("event notifications lost (%s); listening again", type(error).__name__)
                await asyncio.sleep(RECONNECT_SECONDS)

    async def recheck_sessions_forever(
        self, live_sessions: Callable[[set[str]], Awaitable[set[str]]], every: float
    ) -> None:
        """Ends the streams of sessions that were revoked or expired since they opened."""
        while True:
            await asyncio.sleep(every)
            open_sessions = {s.session_id for s in self.subscriptions() if s.session_id}
            if not open_sessions:
                continue
            try:
                live = await live_sessions(open_sessions)
            except Exception as error:
                log.warning("could not recheck stream sessions (%s)", type(error).__name__)
                continue
            for subscription in self.subscriptions():
                if subscription.session_id and subscription.session_id not in live:
                    subscription.revoked = True
                    subscription.wake()
