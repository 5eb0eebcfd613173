"""The registry family: search of people, the district's change requests, duplicate review and merges."""
