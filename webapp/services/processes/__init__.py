"""Process publishing: deploy, draft, validate, publish, compare and migrate process versions."""
