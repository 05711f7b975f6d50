"""Request ids, metrics and traces (README "Operating Drop")."""
