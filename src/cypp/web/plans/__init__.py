"""Stored plans: the database mirror of cypp.domain.plan, written only by plans.actions."""
