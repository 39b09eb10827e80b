"""Background jobs: idempotent handlers that take ids and open their own session.

The media issue adds the queue (RQ with Redis, an in-process pool without) and its handlers.
"""
