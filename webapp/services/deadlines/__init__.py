"""Deadlines in working time: calendars, due times and clocks, sweeps, supervision and the SLA report."""
