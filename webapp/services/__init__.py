"""Use cases: one function per user intention. Services flush but never commit; callers own the transaction."""
