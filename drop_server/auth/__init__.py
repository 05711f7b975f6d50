"""Credentials: password hashing, JWTs, cookies, API keys, and who is calling."""
