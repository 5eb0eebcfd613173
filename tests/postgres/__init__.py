"""Tests that need PostgreSQL itself (row locks, pg_dump): run only by the PostgreSQL suite."""
