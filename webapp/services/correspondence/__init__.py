"""Letters to beneficiaries: issue, archive, queue for the worker, batch, verify."""
