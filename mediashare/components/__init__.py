"""Reusable UI pieces: functions returning components; they read state but never touch the DB."""
