"""The web site: a Django project on top of the clinical core (which never imports Django).

    heelcheck.web.settings      configuration, all from environment variables (table there)
    heelcheck.web.urls          the URL map
    heelcheck.web.wsgi          the WSGI application gunicorn serves
    heelcheck.web.serve         `heelcheck serve`: migrate, then exec gunicorn
    heelcheck.web.security      CSP, Permissions-Policy, CORP and API no-store headers
    heelcheck.web.assessments   the patient flow: model, service layer, pages

Management commands: ``python -m heelcheck.web <command>`` (Django's manage.py), e.g.
``python -m heelcheck.web migrate`` or ``python -m heelcheck.web shell``.

Building on it (JSON API, staff pages):

* Change assessments only through ``heelcheck.web.assessments.services``
  (``start_assessment``, ``load_interview``, ``submit_answer``, ``delete_assessment``);
  they write only over the revision they read, check ``expected_revision``
  (``StaleRevision``) and let the engine's ``AnswerError`` / ``StateError`` through with nothing stored.
* ``Assessment.token`` is the SHA-256 of the private-link token. The plain token exists
  once, on the instance ``start_assessment`` returns (``link_token``); find an assessment
  from a plain token with ``Assessment.objects.by_token(token)``.
* A browser may open ``/a/<id>/`` only if its signed session cookie holds that
  assessment's token (``assessments.visitor``); ids alone open nothing.
* ``Assessment.to_dict()`` is the stored record, JSON-ready, without the token hash.
"""
