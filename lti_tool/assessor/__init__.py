"""The assessor dashboard: course grid, grade syncs, sign-offs with an audit trail, CSV export, charts."""
