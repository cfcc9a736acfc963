"""What every feature package uses, and nothing feature-specific: the desk (the typed way
to the services), error reporting, the persistent-button base, the pager, routed modals,
custom_id parsing, ownership and permission checks, text helpers.

Imports nothing from the feature packages, so they all can depend on it.
"""
