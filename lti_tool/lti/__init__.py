"""Our LTI 1.3 layer: a thin adapter around the pylti1p3 library (imported only in `library.py`)."""
