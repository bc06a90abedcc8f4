"""Audit trail: one AuditEvent for each change an action makes."""
