"""Rasa SDK custom actions: grounded answers, triage, red flags and the closing."""
