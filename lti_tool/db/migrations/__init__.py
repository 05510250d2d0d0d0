"""Alembic migrations of the tool's database, shipped inside the package."""
