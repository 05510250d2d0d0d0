"""carecert-lti: the Flask LTI 1.3 tool (registration, launch, deep linking, player, grades, records)."""
