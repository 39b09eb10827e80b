"""Thin rx.State adapters: they call services, hold view data, and map errors to toasts.

Every public method of a State is callable by any browser with any arguments: each event handler
authorizes from our own session (`SessionState._actor`) and validates its arguments itself.
"""
