"""Data collection: the observation store, uploads, collections and partners' returns."""
