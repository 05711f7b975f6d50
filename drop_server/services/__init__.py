"""Use cases: one function per operation, each owning its database transaction."""
