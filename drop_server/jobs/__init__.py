"""Background work as jobs on a PostgreSQL queue (procrastinate): each runs once across any
number of instances, survives restarts and is retried with backoff. See README "The job queue".
"""
