"""Repositories: the only code that queries the tool's tables. Tenant queries take the registration first."""
