"""The REST API (django-ninja, OpenAPI 3.1): plans, measures, observations, ratings and
actions, with the same permissions as the web pages."""
