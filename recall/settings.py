"""Settings for the recall signature tracker: one file, driven by the environment.

See .env.example for the variables."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from celery.schedules import crontab
from csp.constants import NONE, SELF

from recall.lib.deployment import deployment_tag
from recall.lib.env import (
    EnvError,
    env_bool,
    env_database,
    env_decimal,
    env_int,
    env_list,
    env_redis_sentinel,
    env_redis_url,
    env_secret_key,
)
from recall.lib.redis_dbs import redis_url

BASE_DIR = Path(__file__).resolve().parent.parent

try:
    DEBUG = env_bool("DEBUG", False)
    SECRET_KEY = env_secret_key("SECRET_KEY", DEBUG)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
    DATABASES = {
        "default": env_database("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/recall")
    }
    # A host whose link is cut mid-batch must not keep its batch's lines locked until the
    # kernel gives up on the connection (two hours and more with Linux's defaults): both ends
    # probe a silent peer after 30 s, give up after 3 unanswered probes 10 s apart, and
    # PostgreSQL drops a connection whose sent data goes unacknowledged for 60 s; the batch is
    # rolled back and the sweep sends its lines out again (tests/faults/test_hosts.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        keepalives=1, keepalives_idle=30, keepalives_interval=10, keepalives_count=3,
        options="-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 "
        "-c tcp_keepalives_count=3 -c tcp_user_timeout=60000",
    )  # fmt: skip
    # A PostgreSQL streaming replica, optional: the dashboard's and the live hints' reads go
    # there (recall/db_router.py); without it every query goes to DATABASE_URL, as always.
    if os.environ.get("DATABASE_REPLICA_URL", "").strip():
        DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "")
        # A replica that does not answer costs a read 2 s (libpq's least) before the primary
        # answers instead, not the operating system's minutes.
        DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 2}
        # The test runner makes no database for it: the replica of the test database is itself.
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    REDIS_URL = env_redis_url("REDIS_URL", redis_url("dev"))
    # Redis behind Sentinel: REDIS_URL=sentinel://h1:26379;sentinel://h2:26379/0 (Celery's form)
    # and REDIS_SENTINEL_MASTER the master's name (recall/lib/redis_sentinel.py).
    REDIS_SENTINEL = env_redis_sentinel("REDIS_URL", "REDIS_SENTINEL_MASTER", REDIS_URL)
    REDIS_SENTINEL_MASTER = REDIS_SENTINEL.master if REDIS_SENTINEL else ""
    HTTPS = env_bool("HTTPS", False)
    VOTER_LOOKUPS_PER_MINUTE = env_int("VOTER_LOOKUPS_PER_MINUTE", 120)
    # A user's look-ups in one day beyond which admins are alerted (a volunteer keying a full
    # shift sends about 1,500: 3.3 hints a line, 450 lines).
    VOTER_LOOKUPS_FLAG_PER_DAY = env_int("VOTER_LOOKUPS_FLAG_PER_DAY", 5000)
    # And past which a user's hints stop until the next day (the flag is still recorded): a
    # hard cap on how much of the roll one account can probe, twice the flag level by default.
    VOTER_LOOKUPS_MAX_PER_DAY = env_int("VOTER_LOOKUPS_MAX_PER_DAY", 2 * VOTER_LOOKUPS_FLAG_PER_DAY)
    # The pending-line sweep: how often it runs, and how long a line waits before it counts as
    # lost by the broker and gets a worker sent again.
    VALIDATION_SWEEP_SECONDS = env_int("VALIDATION_SWEEP_SECONDS", 60)
    VALIDATION_STALE_SECONDS = env_int("VALIDATION_STALE_SECONDS", 60)
    # A save's validation task starts this long after the save, so the lines saved meanwhile go
    # in the same batch (one task a second for a busy petition, not one a line). 0: at once.
    VALIDATION_GATHER_MS = env_int("VALIDATION_GATHER_MS", 1000)
    LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
    LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
    # A session ends after this many minutes without a request (2 CCR 19012: at most 15).
    SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 15)
    if not 1 <= SESSION_IDLE_MINUTES <= 15:
        raise EnvError(
            "SESSION_IDLE_MINUTES must be 1 to 15 (the state's rules for voter data allow at "
            f"most 15 minutes of inactivity), got {SESSION_IDLE_MINUTES}"
        )
    # How many reverse proxies in front of the app append to X-Forwarded-For (a TLS proxy: 1).
    # 0: the header is ignored and the client is REMOTE_ADDR (a header anyone can forge is
    # never trusted unless the deployment says a proxy of its own writes it).
    TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
    VOTER_UPLOAD_MAX_BYTES = env_int("VOTER_UPLOAD_MAX_BYTES", 4 * 2**30)
    # Outgoing e-mail (set-password links for new users): off unless EMAIL_HOST is set; the
    # users page shows each link for the admin to hand over either way.
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "recall-tracker@localhost")
    IMPORT_DIR = Path(env_list("IMPORT_DIR", [str(BASE_DIR / "var" / "imports")])[0])
    UPLOAD_DIR = Path(env_list("UPLOAD_DIR", [str(BASE_DIR / "var" / "uploads")])[0])
    # Where collectstatic gathers the static files and their manifest, which pages need when
    # DEBUG is off (scripts/serve-production.sh runs collectstatic; check --deploy checks it).
    STATIC_ROOT = Path(env_list("STATIC_ROOT", [str(BASE_DIR / "var" / "staticfiles")])[0])
    # The county's place files that place matching reads (neighbourhoods, communities and the
    # shortenings signers write for them; matching/README.md): a folder of the three CSVs,
    # checked at start-up (voters.E001). Another county points this at a folder of its own.
    MATCHING_PLACES = Path(env_list("MATCHING_PLACES", [str(BASE_DIR / "matching" / "data")])[0])
    # Voter rolls (issue 15). A gzip voter file is refused once it inflates past this: a county
    # roll is ~1.5 GB of text (6M voters), a state extract of all 58 counties ~12 GB; a bomb of
    # a few KB inflating without end is stopped here rather than at the disk or the clock.
    VOTER_FILE_MAX_INFLATED_BYTES = env_int("VOTER_FILE_MAX_INFLATED_BYTES", 20 * 2**30)
    # A roll with fewer voters than this share (percent) of the active roll's is never made
    # active without an admin confirming on its page (or --force on import_voters).
    ROLL_SHRINK_CONFIRM_PERCENT = env_int("ROLL_SHRINK_CONFIRM_PERCENT", 90)
    # prune_rolls erases superseded rolls older than this many days (2 CCR 19012: voter data
    # no longer needed is erased).
    ROLL_KEEP_DAYS = env_int("ROLL_KEEP_DAYS", 30)
    # Scans (issue 19). The folder of the scans storage on the local disk (the default), or,
    # with SCANS_S3_BUCKET set, an S3-compatible store (django-storages): SCANS_S3_ENDPOINT_URL
    # for one that is not AWS, credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
    SCANS_DIR = Path(env_list("SCANS_DIR", [str(BASE_DIR / "var" / "scans")])[0])
    SCANS_S3_BUCKET = os.environ.get("SCANS_S3_BUCKET", "")
    SCANS_S3_ENDPOINT_URL = os.environ.get("SCANS_S3_ENDPOINT_URL", "") or None
    SCANS_S3_REGION = os.environ.get("SCANS_S3_REGION", "") or None
    # In production the web server sends an image's bytes after the app's permission check:
    # the internal location (nginx X-Accel-Redirect) that maps to SCANS_DIR, e.g.
    # "/protected-scans/". Empty: the app streams the file itself (development, tests).
    SCANS_ACCEL_REDIRECT = os.environ.get("SCANS_ACCEL_REDIRECT", "")
    # Scans hold signatures and addresses: erased this many days after the petition is filed.
    SCANS_KEEP_DAYS_AFTER_FILING = env_int("SCANS_KEEP_DAYS_AFTER_FILING", 180)
    # One uploaded scan file (a PDF of a section, a photo, a ZIP of many) at most this large.
    SCANS_UPLOAD_MAX_BYTES = env_int("SCANS_UPLOAD_MAX_BYTES", 2 * 2**30)
    # Paying circulators (issue 21): the pay period (weekly from Monday, biweekly, monthly), the
    # share of each line's pay held until its validation settles (0 to 1), and how many days a
    # line must have stood valid for that (or its petition be filed).
    PAY_PERIOD = os.environ.get("PAY_PERIOD", "weekly").strip().lower() or "weekly"
    if PAY_PERIOD not in ("weekly", "biweekly", "monthly"):
        raise EnvError(f"PAY_PERIOD must be weekly, biweekly or monthly, got {PAY_PERIOD!r}")
    PAY_HOLDBACK_SHARE = env_decimal("PAY_HOLDBACK_SHARE", "0.25")
    if not 0 <= PAY_HOLDBACK_SHARE <= 1:
        raise EnvError(f"PAY_HOLDBACK_SHARE must be 0 to 1, got {PAY_HOLDBACK_SHARE}")
    PAY_SETTLE_DAYS = env_int("PAY_SETTLE_DAYS", 14)
except EnvError as exc:
    # One clear line instead of a traceback: manage.py, gunicorn and celery all stop here.
    raise SystemExit(f"recall: configuration error: {exc}") from None

INSTALLED_APPS = [
    "recall.sites.RecallAdminConfig",  # django.contrib.admin with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "recall",
    "voters",
    "petitions",
    "scans",
    "devtools",  # development commands only (see DevtoolsConfig)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session (a signed-in user's chosen language is kept there), before Common (which
    # may redirect, in the language chosen): Django's, but the user's choice comes first.
    "recall.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logs out a session idle for SESSION_IDLE_MINUTES, or older than SESSION_COOKIE_AGE.
    "recall.middleware.SessionActivityMiddleware",
    # Every page needs a login unless its view is marked @login_not_required (login, /healthz);
    # Django's, but an htmx request gets a 401 rather than the login page.
    "recall.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, per django-axes: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Only with a replica (DATABASE_REPLICA_URL): which reads it serves, recall/db_router.py.
DATABASE_ROUTERS = ["recall.db_router.ReplicaRouter"] if "replica" in DATABASES else []

ROOT_URLCONF = "recall.urls"
WSGI_APPLICATION = "recall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recall.context_processors.navigation",
                "recall.context_processors.service_status",
            ],
        },
    },
]

CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "recall.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # Every key carries the deployment (its database): two deployments, or a benchmark,
        # sharing a Redis database never read each other's entries, which are keyed by ids
        # (permissions and look-up counts by user id, progress by roll id...).
        # CACHE_KEY_PREFIX pins it where processes of one deployment name their database
        # differently (the test suite's workers see the test database's name).
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX")
        or f"recall:{deployment_tag(DATABASES['default'])}",
        "TIMEOUT": 3600,
        # A Redis host that does not answer costs a request half a second to connect, not the
        # operating system's minutes; after a failure a process leaves it alone for a few
        # seconds (recall/cache.py, "Redis unreachable").
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
    }
}

if REDIS_SENTINEL:
    # One location, the Sentinels (not a list of servers, as Django reads ';'), and the pool of
    # the master they name.
    CACHES["default"]["LOCATION"] = [REDIS_URL]
    CACHES["default"]["OPTIONS"].update(
        pool_class="recall.lib.redis_sentinel.SentinelMasterPool",
        sentinel_master=REDIS_SENTINEL_MASTER,
    )

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "recall.auth.CachedPermissionsBackend",
]
# Login throttling: a username is locked for LOGIN_LOCKOUT_MINUTES after LOGIN_FAILURE_LIMIT
# failed logins in a row, from any address; and by username and address together. Never by
# address alone: a campaign office (or every visitor behind the TLS proxy) shares one address,
# and anyone could lock everyone out with a few random usernames. A success forgives only its
# own username's failures (the reset deletes the attempts these parameters select, so never
# another username's from the same address). Admins unlock early on the Users page.
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address per TRUSTED_PROXY_COUNT (django-ipware is not installed).
AXES_CLIENT_IP_CALLABLE = "recall.views.client_ip"
AXES_LOCKOUT_CALLABLE = "recall.views.locked_out"
AXES_USERNAME_CALLABLE = "recall.views.login_username"
AXES_DISABLE_ACCESS_LOG = True  # logins are in our own audit log
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "recall.validators.UsernameInPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions read from the cache (Redis), written to both: one query less on every request; if
# Redis loses them, they are read from the database again, and while it is unreachable the
# database alone serves them (recall/sessions.py).
SESSION_ENGINE = "recall.sessions"
# One working shift, then log in again, however active (recall.middleware.SessionActivityMiddleware
# counts it from the login; SESSION_IDLE_MINUTES ends an idle session well before).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # a shared office computer forgets the volunteer
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Scan images in an S3-compatible store: the page's <img> follows the app's redirect to a signed
# URL there, which the content security policy must let through (its origin, path or host style).
SCANS_IMAGE_ORIGINS: list[str] = []
if SCANS_S3_BUCKET and SCANS_S3_ENDPOINT_URL:
    _store = urlsplit(SCANS_S3_ENDPOINT_URL)
    SCANS_IMAGE_ORIGINS = [
        f"{_store.scheme}://{_store.netloc}",
        f"{_store.scheme}://*.{_store.netloc}",
    ]
elif SCANS_S3_BUCKET:
    SCANS_IMAGE_ORIGINS = ["https://*.amazonaws.com"]  # the bucket's host, with or without region

# Content security policy: every script and style from our own static files; no inline script,
# no inline style, no eval, no framing. tests/browser fail on any violation the pages report.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *SCANS_IMAGE_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
# The app in English and Spanish: each user's choice (recall.models.Profile), else the browser's.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True
# Dates in the language's words; Spanish numbers and dates as in the United States and Mexico
# (1,234.5), not Spain's 1.234,5 (recall/formats/es). Counts are grouped where shown (intcomma,
# number_format), not by USE_THOUSAND_SEPARATOR, which would group every number a template
# prints, ids in URLs and data attributes too.
FORMAT_MODULE_PATH = ["recall.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Scanned pages and line images: never under MEDIA_URL, only through the app's checked view.
    "scans": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": SCANS_S3_BUCKET,
                "endpoint_url": SCANS_S3_ENDPOINT_URL,
                "region_name": SCANS_S3_REGION,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        }
        if SCANS_S3_BUCKET
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(SCANS_DIR), "base_url": None},
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploaded voter files go straight to disk in chunks, never into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None

# A load balancer probes /healthz over plain http: a redirect to https would read as down.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Celery: JSON only, late acks, one message at a time per process (see recall/celery.py).
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 50 * 60
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "voters.tasks.voter_roll_import_task": {"queue": "imports"},
    # Reading, straightening and cutting scans: long work, beside the voter imports.
    "scans.tasks.*": {"queue": "imports"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis unreachable: a save's task cannot be sent. The line is stored pending and the sweep sends
# it later, so sending gives up within about a second instead of holding the request (with
# Celery's defaults a host that does not answer holds it for 4 s a try).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {"socket_connect_timeout": 1}
if REDIS_SENTINEL:
    # Celery reads sentinel:// itself (kombu's Redis transport); the master by its name.
    CELERY_BROKER_TRANSPORT_OPTIONS["master_name"] = REDIS_SENTINEL_MASTER
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"master_name": REDIS_SENTINEL_MASTER}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE
# Worker and scheduler lines as the web's (LOGGING's "plain"): one format on `make run`'s console.
CELERY_WORKER_LOG_FORMAT = "%(asctime)s %(levelname)s %(processName)s: %(message)s"
CELERY_WORKER_TASK_LOG_FORMAT = (
    "%(asctime)s %(levelname)s %(processName)s %(task_name)s[%(task_id)s]: %(message)s"
)
CELERY_BEAT_SCHEDULE = {
    # Proves the scheduler is alive to /healthz.
    "scheduler-heartbeat": {"task": "recall.tasks.scheduler_heartbeat", "schedule": 30.0},
    # The broker may lose messages: the database is the source of truth for pending imports.
    "sweep-stale-imports": {"task": "voters.tasks.sweep_stale_imports", "schedule": crontab()},
    "sweep-stale-scan-uploads": {
        "task": "scans.tasks.sweep_stale_scan_uploads",
        "schedule": crontab(),
    },
    "sweep-pending-lines": {
        "task": "petitions.tasks.sweep_pending_lines",
        "schedule": float(VALIDATION_SWEEP_SECONDS),
    },
    # The dashboard's tallies against a full count of the lines (drift is logged and fixed).
    "reconcile-tallies": {"task": "petitions.tasks.reconcile_tallies", "schedule": 600.0},
    # The dashboard's breakdowns by circulator and area, counted over every line.
    "refresh-breakdowns": {"task": "petitions.tasks.refresh_breakdowns", "schedule": 300.0},
    # Scans kept past SCANS_KEEP_DAYS_AFTER_FILING erased, at night (scans.retention).
    "erase-expired-scans": {
        "task": "scans.tasks_retention.erase_expired_scans",
        "schedule": crontab(hour=3, minute=30),
    },
}
# Task modules autodiscovery (each app's tasks.py) does not find.
CELERY_IMPORTS = ["scans.tasks_retention"]
# Validation tasks sent at once for one petition (each claims its own batches).
VALIDATION_PARALLEL_TASKS = 4

# /healthz treats a worker as down when its last heartbeat is older than this.
WORKER_HEARTBEAT_INTERVAL = 10
WORKER_HEARTBEAT_STALE_AFTER = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # One line for each refused request (4xx), without a traceback: see recall/lib/logfilters.py.
    "filters": {"one_line_refusals": {"()": "recall.lib.logfilters.OneLineRefusals"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["one_line_refusals"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Django's own console handler goes: with DEBUG on it printed each of Django's lines a
        # second time, beside this one (runserver's "Watching for file changes", twice).
        "django": {"level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
