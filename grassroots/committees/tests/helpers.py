"""Shared builders for the committee tests."""

from grassroots.members.tests.ledger_helpers import admit_on as admit

__all__ = ["admit"]
