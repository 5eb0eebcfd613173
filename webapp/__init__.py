"""Sala: case management for Cambodia's social protection one-stop shops."""
