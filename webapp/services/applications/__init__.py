"""The SSDM programme application family: intake, resubmission, result letters."""
