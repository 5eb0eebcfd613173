"""Wires Sala together: the installed families, the worker's jobs and sweeps, bootstrap and demo data."""

from webapp.services.assembly.installed import install

__all__ = ["install"]
