"""Settings, every one from the environment; a bad value stops the site with a clear message.

=========================== ==================================================================
HEELCHECK_DATA_DIR          folder for the SQLite file and the generated secret key
                            (default ``./data``; created if missing)
DATABASE_URL                ``postgres://user:pass@host:port/name`` switches to PostgreSQL;
                            unset: SQLite at ``$HEELCHECK_DATA_DIR/heelcheck.sqlite3``
HEELCHECK_DEBUG             ``1`` turns Django's debug mode on (never in production)
HEELCHECK_SECRET_KEY        the secret key; unset: generated once into the data folder
HEELCHECK_ALLOWED_HOSTS     comma-separated host names (default: loopback names only)
HEELCHECK_CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. ``https://heel.example.org``
HEELCHECK_SECURE_COOKIES    ``0`` sends cookies over plain http too (default: on unless debug;
                            browsers accept secure cookies from http://127.0.0.1 and localhost)
HEELCHECK_HTTPS_REDIRECT    ``1`` redirects http to https (default off: the run command and
                            the tests speak plain http on loopback)
HEELCHECK_HSTS_SECONDS      Strict-Transport-Security max-age when not debug (default 1 year)
HEELCHECK_BEHIND_PROXY      ``1`` trusts X-Forwarded-Proto from a TLS-terminating proxy
HEELCHECK_LINK_DAYS         days a private result link keeps working (default 180)
HEELCHECK_CLINIC_FILE       a TOML file with the publishing clinic's name, numbers and booking
                            link (web/clinic.py; none: generic wording)
HEELCHECK_RETENTION_DAYS    days an assessment is kept before ``purge_assessments`` deletes it
                            (default 365)
HEELCHECK_FRAME_ANCESTORS   comma-separated origins allowed to embed ``/embed/`` in an iframe,
                            e.g. ``https://clinic.example.org`` (default: none)
HEELCHECK_API_WRITE_RATE    API writes allowed per client per minute (default 120)
HEELCHECK_PAGE_WRITE_RATE   starts and answers on the pages (site and widget together)
                            allowed per client per minute (default 120)
HEELCHECK_LOGIN_FAILURES    failed staff logins in a row that lock the account (default 5)
HEELCHECK_LOCKOUT_MINUTES   how long a locked staff account stays locked (default 15)
HEELCHECK_STAFF_OTP         ``0`` lets staff log in with a password alone (default 1: a code from
                            an authenticator app too, set up by ``create_staff``)
HEELCHECK_STAFF_IDLE_MINUTES  minutes without a staff page after which a staff session ends
                            (default 30)
=========================== ==================================================================
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from heelcheck.web.origins import parse_origins
from heelcheck.web.security import static_headers

from .clinic import Clinic, ClinicFileError
from .clinic import load as load_clinic

WEB_DIR = Path(__file__).resolve().parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key_from(data_dir: Path) -> str:
    """The key in ``data_dir/secret_key``, written once (atomically, mode 0600) if missing,
    so that every gunicorn worker and every restart signs with the same key."""
    path = data_dir / "secret_key"
    if not path.exists():
        tmp = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)  # fails if another process won the race: use theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ImproperlyConfigured(f"{path} holds no usable secret key; delete it to regenerate")
    return key


def private_folder(path: Path) -> Path:
    """The data folder, created if missing, readable by this account only (0700), with its
    SQLite file 0600: it holds health data and the secret key. SQLite gives its -wal and
    -shm files the database file's mode; the file cache writes 0600 files itself."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    for name in ("heelcheck.sqlite3", "heelcheck.sqlite3-wal", "heelcheck.sqlite3-shm", "secret_key"):
        if (path / name).exists():
            (path / name).chmod(0o600)
    return path


DATA_DIR = private_folder(Path(os.environ.get("HEELCHECK_DATA_DIR", "data")).resolve())

DEBUG = env_bool("HEELCHECK_DEBUG", False)
SECRET_KEY = os.environ.get("HEELCHECK_SECRET_KEY") or secret_key_from(DATA_DIR)
ALLOWED_HOSTS = env_list("HEELCHECK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("HEELCHECK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "ninja",  # the API docs page then uses its bundled Swagger UI files, not a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "heelcheck.web.assessments",
    "heelcheck.web.api",
    "heelcheck.web.staff",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "heelcheck.web.security.SecurityHeadersMiddleware",
    "heelcheck.web.security.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session (a site visitor's language choice lives there) and before
    # CommonMiddleware, as Django asks; heelcheck.web.language then applies ``?lang=``.
    "django.middleware.locale.LocaleMiddleware",
    "heelcheck.web.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "heelcheck.web.urls"
WSGI_APPLICATION = "heelcheck.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "heelcheck.web.context.site",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
            raise ImproperlyConfigured("DATABASE_URL must be a postgres:// (or sqlite://) URL")
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    # Created here, 0600, before SQLite would create it with the umask's mode (often 0644).
    os.close(os.open(DATA_DIR / "heelcheck.sqlite3", os.O_WRONLY | os.O_CREAT, 0o600))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "heelcheck.sqlite3",
        "CONN_MAX_AGE": 600,  # one connection per worker, not one per request
        "OPTIONS": {
            # IMMEDIATE: a transaction takes the write lock when it begins, so two workers
            # answering the same assessment queue up instead of failing half-way.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}

# The default cache is a file cache in the data folder; nothing counts in it any more.
# Rate limits count in the "limits" cache (heelcheck.web.limits explains the choice): on one
# machine a small SQLite database of its own, atomic across gunicorn workers. To share the
# limits between machines, point "limits" at a shared cache with atomic add and incr, e.g.
# {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://..."}.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    "limits": {
        "BACKEND": "heelcheck.web.limits.SQLiteCounterCache",
        "LOCATION": str(DATA_DIR / "limits.sqlite3"),
        "TIMEOUT": 120,
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The session lives in a signed cookie: the server keeps nothing about the visitor. It only
# holds the ids and private-link tokens of this browser's own assessments, and ends with the
# browser session.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_NAME = "heelcheck"
SESSION_COOKIE_AGE = 24 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "heelcheck.web.errors.csrf_failure"

# Staff accounts (the clinic's dashboard and exports; respondents never have an account).
# Axes checks every login first and locks an account after repeated failures. It locks by
# username only and is given no IP address, so its tables hold none (see staff/access.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]  # fmt: skip
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "staff:login"
HEELCHECK_STAFF_OTP = env_bool("HEELCHECK_STAFF_OTP", True)
OTP_TOTP_ISSUER = "heelcheck"
HEELCHECK_STAFF_IDLE_MINUTES = env_int("HEELCHECK_STAFF_IDLE_MINUTES", 30, minimum=1)
AXES_FAILURE_LIMIT = env_int("HEELCHECK_LOGIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HEELCHECK_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_CLIENT_IP_CALLABLE = "heelcheck.web.staff.access.no_ip_address"
AXES_LOCKOUT_CALLABLE = "heelcheck.web.staff.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_USERNAME_FORM_FIELD = "username"
# What axes keeps of a failed login: the username only if it names an account (a password
# typed into the username box is not stored), no user agent, Accept header or path, no
# record of successful logins, and the username masked in its copy of the form.
AXES_HANDLER = "heelcheck.web.staff.access.PrivateAxesHandler"
AXES_USERNAME_CALLABLE = "heelcheck.web.staff.access.account_username"
AXES_CLIENT_STR_CALLABLE = "heelcheck.web.staff.access.client_str"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password"]
# axes.W006 warns that locking by username alone does not stop one address trying a few
# passwords on many accounts. That is the price of keeping no IP addresses; locking by
# address would also lock every colleague behind the clinic's one address (or a proxy). The
# password rules above and a handful of staff accounts keep that risk small.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "en"
# The patient's pages in every language the knowledge base has a layer for (knowledge/<code>/);
# heelcheck.web.language says how a page's language is chosen. Staff pages stay English.
LANGUAGES = [("en", "English"), ("es", "Español")]
# The pages' own words: locale/<code>/LC_MESSAGES/django.po and its compiled django.mo, both
# committed and shipped in the wheel. Committing the .mo (not compiling it at setup) means
# no install, wheel build or CI machine needs GNU gettext, and a page never runs without its
# catalogue; tests/web/test_translations.py fails when the .mo no longer says what the .po says.
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# WhiteNoise serves the files straight from the app folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_ADD_HEADERS_FUNCTION = static_headers

# Security headers. The Content-Security-Policy and Permissions-Policy are set by
# heelcheck.web.security; these are Django's own.
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin: the site's own form posts carry their real Origin for Django's CSRF check,
# and no address (private tokens are in some) is ever sent to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("HEELCHECK_HTTPS_REDIRECT", False)
if env_bool("HEELCHECK_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("HEELCHECK_SECURE_COOKIES", not DEBUG)
if not DEBUG:
    SECURE_HSTS_SECONDS = env_int("HEELCHECK_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False

HEELCHECK_LINK_DAYS = env_int("HEELCHECK_LINK_DAYS", 180, minimum=1)
HEELCHECK_RETENTION_DAYS = env_int("HEELCHECK_RETENTION_DAYS", 365, minimum=1)
# Checked here so that a mistyped origin stops the site at start, not at the first embed.
HEELCHECK_FRAME_ANCESTORS = parse_origins(
    "HEELCHECK_FRAME_ANCESTORS", env_list("HEELCHECK_FRAME_ANCESTORS", [])
)
HEELCHECK_API_WRITE_RATE = env_int("HEELCHECK_API_WRITE_RATE", 120, minimum=1)


def clinic_from(name: str) -> Clinic | None:
    """The clinic file's profile (web/clinic.py); read at start so that a bad file stops the
    site with every problem named, not a patient's page."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return load_clinic(Path(raw))
    except ClinicFileError as exc:
        raise ImproperlyConfigured(f"{name}:\n{exc}") from None


HEELCHECK_CLINIC = clinic_from("HEELCHECK_CLINIC_FILE")
HEELCHECK_PAGE_WRITE_RATE = env_int("HEELCHECK_PAGE_WRITE_RATE", 120, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "heelcheck.web.logs.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    # Errors go to stderr (gunicorn's log), through the filter that removes private tokens,
    # ids and addresses. No access log: request paths hold private tokens.
    # django.request at ERROR: its warnings are one line per 404.
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
