"""Telling people: officers' notifications (in Sala, by e-mail, by SMS) and beneficiaries' SMS."""
