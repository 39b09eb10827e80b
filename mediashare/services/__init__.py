"""Business rules as plain functions over a DB session.

A public function is one transaction: it authorizes first, changes data, records the audit event
and commits. Private helpers (`_name`) never commit. Nothing here imports Reflex.
"""
