"""A small LTI 1.3 platform (an LMS stand-in) for the demo and the end-to-end tests.

Built on the independent PyPI package `lti1p3platform`, never on our tool's code, so the tests of
`lti_tool` are judged by a platform we did not derive from the tool. Off unless asked for (`carecert demo`,
tests, benchmarks).
"""
