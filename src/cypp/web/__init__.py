"""The Django web app, API and admin: thin interfaces over the domain."""
