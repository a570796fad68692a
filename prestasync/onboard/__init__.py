"""Onboarding a pair that already shares data (issue #19 item 6): match, report, link; snapshot progress."""
