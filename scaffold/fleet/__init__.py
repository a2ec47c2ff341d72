"""Fleet: many projects from one template, kept uniform from one command.

Listing the fleet, a clone cache, safety checks on what each repository says,
update branches and requests, and the fleet report. The verbs that use these
live in `scaffold/commands/fleet.py`.
"""
