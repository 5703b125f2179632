"""The JSON API (``/api/v1/``): a thin layer over the assessment service layer and the engine."""
