"""The clinic's side of heelcheck: staff login, a dashboard of anonymous figures, exports
(CSV, FHIR) and the retention purge. Respondents never see or need any of it."""
