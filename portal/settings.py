"""Settings for the deputy work portal.

One module, read from the environment (django-environ). Production differs from
development only by environment variables; a missing production secret stops
the process at start with a clear message.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Under pytest (or PORTAL_TESTING=1) the test defaults apply: no secret needed.
TESTING = env.bool("PORTAL_TESTING", default="pytest" in sys.modules)
# Demo data and accounts exist only in development and tests, never in production.
DEMO_MODE = DEBUG or TESTING

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY 未设置：生产模式（DJANGO_DEBUG 关闭）必须提供密钥。"
            " / DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off."
        )
    SECRET_KEY = "insecure-dev-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=["127.0.0.1", "localhost", "testserver"] if (DEBUG or TESTING) else [],
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "portal",
    "deputies",
    "stations",
    "proposals",
    "livelihood_votes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.personal_data.PersonalDataNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.RejectNulMiddleware",
    "portal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.AbsoluteSessionTimeoutMiddleware",
    "portal.middleware.TodoFreshnessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]
# ``make bench``: query counts and SQL time on every response, and the floor view.
BENCH = env.bool("PORTAL_BENCH", default=False)
if BENCH:
    MIDDLEWARE.insert(0, "portal.bench.QueryStatsMiddleware")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

# <select> written in Python (portal/web/renderer.py, issue 14); the rest Django's.
FORM_RENDERER = "portal.web.renderer.PortalFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A bounded connection pool in every mode (Django 5.2 + psycopg 3, issue 15):
    # each process holds at most DATABASE_POOL_MAX connections, threads wait
    # up to DATABASE_POOL_TIMEOUT seconds for one, so a burst of requests queues
    # instead of filling PostgreSQL's max_connections (processes × max ≤ budget,
    # docs/deployment.md). Behind pgbouncer in transaction mode set
    # DATABASE_PGBOUNCER=1: no pool here, no persistent connections, no
    # server-side cursors (Django docs, "Transaction pooling and server-side
    # cursors").
    if env.bool("DATABASE_PGBOUNCER", default=False):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them instead
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=1),
            "max_size": env.int("DATABASE_POOL_MAX", default=8),
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
            # Connections idle for 5 minutes are closed, renewed after an hour.
            "max_idle": 300.0,
            "max_lifetime": 3600.0,
        }
    # No JIT: the portal's queries are short OLTP ones, and PostgreSQL's JIT
    # compiled the big report and count queries for 0.6 s of their 0.7 s
    # (EXPLAIN ANALYZE, issue 14, docs/performance.md). No parallel workers:
    # a web request's count or search gathered from 2 workers took 18-20 ms
    # where one process takes 9-13, and under load the workers compete with
    # the other requests for the same cores. DATABASE_PG_OPTIONS replaces both.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "options",
        env.str(
            "DATABASE_PG_OPTIONS",
            default="-c jit=off -c max_parallel_workers_per_gather=0",
        ),
    )
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # The embedded default serves many threads at once (make run): take the write
    # lock when a transaction starts, so concurrent writers wait for it (timeout)
    # instead of failing on a lock upgrade; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# The cache may live in its own Redis database (a cache clear must never touch
# the broker's queues); tests use a per-process memory cache so parallel test
# workers cannot see (or flush) each other's rate-limit counters and locks.
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default=REDIS_URL)
if REDIS_CACHE_URL and not TESTING:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
        }
    }
    # Sessions read from Redis, written through to the database (one query
    # less on every page; never with the per-process memory cache below, whose
    # processes would each see their own copy); malformed keys refused
    # (portal/sessions).
    SESSION_ENGINE = "portal.sessions.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }
    # Database sessions; malformed keys refused (portal/sessions).
    SESSION_ENGINE = "portal.sessions.db"

# The staff dashboard's to-dos are kept this long per user (portal.registry.
# dashboard_todos; the user's own writes refresh them at once, the page says
# how old others' changes may be). Only with the shared Redis cache: each
# process's memory cache would miss a write served by another worker. Off in
# the tests, which check fresh lists; tests/portal/test_dashboard_todos.py
# switches it on.
PORTAL_TODO_CACHE_SECONDS = env.int(
    "PORTAL_TODO_CACHE_SECONDS",
    default=60 if REDIS_CACHE_URL and not TESTING else 0,
)

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
# The published demo password signs in only in demo mode (make run, DEBUG) and
# where set explicitly (the tests, the bench's synthetic province); a demo
# database served with DEBUG off refuses it (portal.security.PortalModelBackend).
PORTAL_ALLOW_DEMO_PASSWORD = env.bool(
    "PORTAL_ALLOW_DEMO_PASSWORD", default=DEBUG or TESTING
)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.security.PortalModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# django-axes: 5 failures lock the (ip, username) pair for 30 minutes.
# How many reverse proxies of ours stand in front of the web server (0: none,
# REMOTE_ADDR is the client). Only then are X-Forwarded-For / -Proto read, and
# rate limits and the lockout count the real client (portal.ratelimit.client_ip).
PORTAL_TRUSTED_PROXIES = env.int("PORTAL_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "portal.ratelimit.client_ip"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Sessions: 30 minutes idle (refreshed on every request), 12 hours absolute.
SESSION_COOKIE_AGE = 30 * 60
# Renewed at most once a minute (portal/middleware.py), not saved on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_INTERVAL = 60
# API tokens expire (portal/api/authentication.py) and are revoked on logout
# and password change.
API_TOKEN_LIFETIME = timedelta(hours=env.int("API_TOKEN_HOURS", default=12))
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- I18n ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("英文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Days an uploaded roster or a written export (personal data) is kept.
PERSONAL_FILE_RETENTION_DAYS = env.int("PERSONAL_FILE_RETENTION_DAYS", default=7)
# Any multipart body (portal.middleware.RequestSizeLimitMiddleware, 413 above).
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=25 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="人大代表工作平台 <noreply@example.org>"
)

SMS_BACKEND = env.str("SMS_BACKEND", default="portal.sms.ConsoleSmsBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms"))
SMS_FILE_DELAY = env.float("SMS_FILE_DELAY", default=0.0)
# A delivery in progress for longer than this is considered lost and is retried.
NOTIFICATION_CLAIM_SECONDS = env.int("NOTIFICATION_CLAIM_SECONDS", default=10 * 60)
NOTIFICATION_MAX_ATTEMPTS = 8
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Security -------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not TESTING)
    CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not TESTING)
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not TESTING)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if PORTAL_TRUSTED_PROXIES:
        # Only behind our own proxy, which sets (and overwrites) the header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# django-csp 4: one policy for every HTML page. Scripts and styles come only
# from our own origin; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call gets 401 with WWW-Authenticate.
        "portal.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon_submit": "10/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "人大代表工作平台 API",
    "DESCRIPTION": "REST API v1 (see shared/API.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One stable name per choice set that shares a field name with another.
    "ENUM_NAME_OVERRIDES": {
        "HandlingUnitKindEnum": "portal.models.HandlingUnit.Kind",
        "SpeechModeEnum": "deputies.session_models.Speech.Mode",
        "ReceptionModeEnum": "stations.models.Reception.Mode",
        "VoteRoundModeEnum": "livelihood_votes.models.VoteRound.Mode",
        "RegionLevelEnum": "portal.models.Region.Level",
        "CongressLevelEnum": "portal.models.Congress.Level",
        "MandateStatusEnum": "deputies.models.Mandate.Status",
        "ActivityKindEnum": "deputies.models.Activity.Kind",
        "DeputyGroupKindEnum": "deputies.models.DeputyGroup.Kind",
        "AttendanceStatusEnum": "deputies.models.Attendance.Status",
        "StationKindEnum": "stations.models.Station.Kind",
        "ProgrammePhaseEnum": "livelihood_votes.models.Programme.Phase",
        "StationStatusEnum": "stations.models.Station.Status",
        "OpinionStatusEnum": "stations.models.Opinion.Status",
        "BillDecisionEnum": "proposals.models.Suggestion.BillDecision",
        "OpinionCategoryEnum": "stations.models.Opinion.Category",
        "SatisfactionEnum": "stations.models.Opinion.VisitResult",
        "ActivityReviewEnum": "deputies.models.Activity.Review",
        "SuggestionKindEnum": "proposals.models.Suggestion.Kind",
        "SuggestionStatusEnum": "proposals.models.Suggestion.Status",
        "SuggestionCategoryEnum": "proposals.models.Suggestion.Category",
        "AssignmentStatusEnum": "proposals.models.Assignment.Status",
        "AssignmentRoleEnum": "proposals.models.Assignment.Role",
        "CoSignerStatusEnum": "proposals.models.CoSigner.Status",
        "ReplyCategoryEnum": ["A", "B", "C", "D"],
        "CommitmentStatusEnum": "proposals.models.Commitment.Status",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery -------------------------------------------------------------------------
# With REDIS_URL: a real broker (run one worker pool and exactly one beat).
# Without it (the embedded default of `make run`): a filesystem broker in
# var/celery, so reminders still run on a laptop with nothing installed.
CELERY_DATA_DIR = BASE_DIR / "var" / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Above the longest countdown or retry backoff (1 hour), so a slow task is not
    # redelivered while it still runs; a lost worker's task comes back after it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        # kombu's default is ./control, which used to land in the repository root.
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
# The one beat schedule of the portal; domain apps add their jobs here.
# The one beat schedule of the portal (run exactly ONE beat; see README).
CELERY_BEAT_SCHEDULE: dict = {
    "send-reminders": {
        "task": "portal.tasks.run_reminders",
        # Every hour: the jobs are idempotent per day, so the first run of the day
        # sends and later runs only catch what appeared since (nothing twice).
        "schedule": 60 * 60,
    },
    "send-daily-digests": {
        "task": "portal.tasks.send_daily_digests",
        "schedule": crontab(hour=18, minute=0),
    },
    # Dashboard figures are snapshots: never older than 10 minutes (see
    # portal.reports.service.CARD_FRESH_FOR), recomputed while someone views them.
    "refresh-dashboard-cards": {
        "task": "portal.tasks.refresh_dashboard_cards",
        "schedule": 4 * 60,
    },
    "clear-expired-sessions": {
        "task": "portal.tasks.clear_expired_sessions",
        "schedule": 60 * 60 * 6,
    },
    # Files kept for a form's next submit (portal.web.uploads), once expired.
    "purge-staged-uploads": {
        "task": "portal.tasks.purge_staged_uploads",
        "schedule": 60 * 60 * 6,
    },
    # Mandates end when the next term's first session opens (代表法), so check
    # daily, early: a first session that opened yesterday or today is caught.
    "expire-mandates-of-new-terms": {
        "task": "deputies.tasks.expire_mandates_of_new_terms",
        "schedule": crontab(hour=0, minute=30),
    },
    # Uploaded rosters and written exports (personal data) past their retention.
    "purge-personal-files": {
        "task": "deputies.tasks.purge_personal_files",
        "schedule": crontab(hour=2, minute=0),
    },
    # Answers never rated, receipts never given (proposals' rules).
    "lapse-unrated-evaluations": {
        "task": "proposals.tasks.lapse_unrated_evaluations",
        "schedule": crontab(hour=1, minute=0),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
