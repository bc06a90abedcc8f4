"""Data pages: uploads, collections and partners' returns. They write only through actions."""
