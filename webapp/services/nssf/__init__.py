"""NSSF formalization: enterprise and member registration, and compliance inspections."""
