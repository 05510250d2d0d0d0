"""A framework-free SCORM library: safe package opening, manifests, validation, the run-time
data models of SCORM 1.2 and 2004, sequencing and a package builder.

It never imports Flask or SQLAlchemy. Public API by subpackage:
``scorm.package`` (open a package without trusting it), ``scorm.manifest`` (the manifest model),
``scorm.validation`` (rules with stable codes), ``scorm.inspect`` (one call: open, parse, validate),
``scorm.cmi`` and ``scorm.runtime`` (data model and attempts), ``scorm.sequencing``, ``scorm.builder``.
"""
