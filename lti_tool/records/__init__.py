"""Portable completion records (issue 7): Open Badges 3.0 unit credentials, the CLR 2.0
passport, verification, revocation by Bitstring Status List, xAPI statements for a Learning Record Store, and
the ASC-WDS workforce CSV.

The domain modules (`facts`, `ob3`, `signing`, `status_list`, `passport`, `verification`, `xapi_statements`,
`ascwds`) know nothing of Flask or the database; `store`, `queries`, `xapi_outbox` and `blueprint` connect
them.
"""
