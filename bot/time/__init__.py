"""Time for every feature: zones, phrase parsing, recurrence, and how times read in English.

Nothing here imports from a feature package, so reminders and check-ins can both build on it.
"""
