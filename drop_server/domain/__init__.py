"""Pure rules of Drop: no database, no gRPC, no network."""
