"""Live events: the streams process (grpc.aio) serving EventService/StreamEvents beside the
unary workers, fed by the `events` outbox (migration 0010) and PostgreSQL LISTEN/NOTIFY."""
