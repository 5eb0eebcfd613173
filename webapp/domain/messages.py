"""Marks English message ids for extraction without translating them here (the web layer translates)."""


def N_(text: str) -> str:
    return text
