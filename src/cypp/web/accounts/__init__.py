"""Accounts: who people are (memberships with a role), API tokens, and the one policy
module that decides what each of them may do."""
