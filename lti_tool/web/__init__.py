"""Web entry points (blueprints) and the error pages."""
