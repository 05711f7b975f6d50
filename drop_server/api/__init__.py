"""Transport: one servicer module per proto service, plus the interceptors."""
