"""The web site: a Django project on top of the clinical core (which never imports Django).

    heelcheck.web.settings      configuration, all from environment variables
    heelcheck.web.urls          the URL map
    heelcheck.web.wsgi          the WSGI application gunicorn serves
    heelcheck.web.serve         `heelcheck serve`: migrate, then exec gunicorn
    heelcheck.web.assessments   the patient flow: model, service layer, pages

Management commands: ``python -m heelcheck.web <command>`` (like ``manage.py``).
"""
