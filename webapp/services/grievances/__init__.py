"""The two-level grievance family: intake, progress, confidentiality, committees and reports."""
