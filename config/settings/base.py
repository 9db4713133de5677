"""Settings shared by every settings module, read from the environment (defaults give the
embedded SQLite demo). Not run by itself: config.settings.dev (a developer's machine, the
default of manage.py), config.settings.test (the suite) or config.settings.prod (production, the
default of wsgi.py and asgi.py)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# What a missing key means is each module's choice: prod refuses to start, dev and test use a
# fixed key of their own.
SECRET_KEY = os.environ.get("SECRET_KEY", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "grassroots.core",
    "grassroots.accounts",
    "grassroots.organizations",
    "grassroots.members",
    "grassroots.committees",
    "grassroots.rollups",
    "grassroots.reorganizations",
    "grassroots.jobs",
    "grassroots.targets",
    "grassroots.assessments",
    "grassroots.classifications",
    "grassroots.meetings",
    "grassroots.inspections",
    "grassroots.feedback",
    "grassroots.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "grassroots.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "grassroots.core.middleware.AuditActorMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "grassroots" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "grassroots.core.context_processors.access",
            ],
        },
    },
]

DATABASES = {
    # A connection is kept 10 minutes: the statements every event runs (a member's share of the
    # past-day counters) are prepared once per connection, so a connection that lived one
    # minute planned them again at nearly every event of a quiet hour. Production checks a
    # connection before reusing it (prod.py).
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the pages' statements run for milliseconds to a second, and
    # PostgreSQL would spend 100 ms or more compiling any whose estimated cost looks large (a
    # province's review, measured at national scale). Long batch statements gain nothing
    # that matters here either.
    # random_page_cost 1.1 (PostgreSQL's default, 4, models spinning disks): on SSD or with
    # the working set in memory, an index probe per unit of a subtree costs little more than a
    # sequential read, and the planner then walks a province's few thousand units into their
    # indexes instead of hashing whole national tables (a province's meeting findings and
    # inspection execution: 2–3× faster at national scale). DATABASE_RANDOM_PAGE_COST sets
    # another value for a database on spinning disks.
    page_cost = float(os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1"))
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c jit=off -c random_page_cost={page_cost:g}"
    )

# Background work (big imports): tasks stored in the database and run by
# `manage.py db_worker` (see README), so no broker or extra server is needed.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Member import files larger than this run in the background (the page follows the job).
MEMBER_IMPORT_BACKGROUND_BYTES = int(
    os.environ.get("MEMBER_IMPORT_BACKGROUND_BYTES", str(1024 * 1024))
)

# Uploaded spreadsheets (grassroots/core/spreadsheets.py): the largest file accepted; for a
# workbook, the most its parts may unpack to in all, the most a part read whole (shared strings,
# styles) may unpack to, the most a large part may unpack per byte packed, and the longest run
# of empty rows before data (a workbook packs far more than it weighs: these keep a small file
# from holding a worker for minutes or filling its memory). The file's own cap lets a province's
# member import through the page: a million members is a CSV of about 155 MB.
GRASSROOTS_UPLOAD_MAX_BYTES = int(
    os.environ.get("GRASSROOTS_UPLOAD_MAX_BYTES", str(256 * 1024 * 1024))
)
GRASSROOTS_UPLOAD_MAX_UNPACKED_BYTES = int(
    os.environ.get("GRASSROOTS_UPLOAD_MAX_UNPACKED_BYTES", str(2 * 1024 * 1024 * 1024))
)
GRASSROOTS_UPLOAD_MAX_PART_BYTES = int(
    os.environ.get("GRASSROOTS_UPLOAD_MAX_PART_BYTES", str(64 * 1024 * 1024))
)
GRASSROOTS_UPLOAD_MAX_RATIO = int(os.environ.get("GRASSROOTS_UPLOAD_MAX_RATIO", "100"))
GRASSROOTS_UPLOAD_MAX_EMPTY_ROWS = int(os.environ.get("GRASSROOTS_UPLOAD_MAX_EMPTY_ROWS", "1000"))
# Uploaded files of background jobs (member imports hold personal data) are deleted when the
# job ends; with N > 0 they are kept N days, then deleted by the next job or `purge_job_files`.
GRASSROOTS_UPLOAD_KEEP_DAYS = int(os.environ.get("GRASSROOTS_UPLOAD_KEEP_DAYS", "0"))
# Statistics of a past day: the provinces keep their changes per day over the
# calendar years back to this many before the current one (a day inside a month of those years
# is read from three index ranges; an earlier one from the raw rows of the days since the
# month's end). Raising it needs `manage.py rebuild_rollups` (docs/past-counters.md).
GRASSROOTS_PAST_DAY_YEARS = int(os.environ.get("GRASSROOTS_PAST_DAY_YEARS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# One form-field template for every form, with the error summary (grassroots/core/forms.py).
FORM_RENDERER = "grassroots.core.forms.FormRenderer"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Repeated failed logins: locked for a cool-off period after AXES_FAILURE_LIMIT failures
# for the same username from the same address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Grouping is applied where figures are shown (|intcomma, |floatformat:"g"), never to ids in URLs.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "grassroots" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "grassroots.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Grassroots API",
    "DESCRIPTION": "Units, members, their events and statistics, scoped to the caller's roles.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One named enum per choice set, whatever the field is called.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "grassroots.organizations.choices.UnitKind",
        "CellSubtypeEnum": "grassroots.organizations.choices.CellSubtype",
        "ReorganizationKindEnum": "grassroots.organizations.choices.ReorganizationKind",
        "CommitteeKindEnum": "grassroots.committees.choices.CommitteeKind",
        "PositionEnum": "grassroots.committees.choices.Position",
        "MemberStatusEnum": "grassroots.members.choices.MemberStatus",
        "CandidateStageEnum": "grassroots.members.choices.CandidateStage",
        "ResolutionKindEnum": "grassroots.targets.choices.ResolutionKind",
        "ResolutionStatusEnum": "grassroots.targets.choices.ResolutionStatus",
        "TargetKindEnum": "grassroots.targets.choices.TargetKind",
        "ValueStateEnum": "grassroots.targets.choices.ValueState",
        "ReviewKindEnum": "grassroots.targets.choices.ReviewKind",
        "DisciplineLevelEnum": "grassroots.members.choices.DisciplineLevel",
        "MonthlyAssessmentStatusEnum": "grassroots.assessments.choices.Status",
        "AssessmentStepKindEnum": "grassroots.assessments.choices.StepKind",
        "ClassificationLevelEnum": "grassroots.classifications.choices.Level",
        "ClassificationStepKindEnum": "grassroots.classifications.choices.StepKind",
        "QuotaScopeEnum": "grassroots.classifications.choices.QuotaScope",
        "MeetingKindEnum": "grassroots.meetings.choices.MeetingKind",
        "AttendanceStatusEnum": "grassroots.meetings.choices.AttendanceStatus",
        "AssignmentStatusEnum": "grassroots.meetings.choices.AssignmentStatus",
        "FeedbackStatusEnum": "grassroots.feedback.choices.Status",
        "FeedbackChannelEnum": "grassroots.feedback.choices.Channel",
        "FeedbackStaffChannelEnum": "grassroots.feedback.choices.STAFF_CHANNELS",
        "InspectionKindEnum": "grassroots.inspections.choices.Kind",
        "OrganizationDisciplineLevelEnum": (
            "grassroots.inspections.choices.OrganizationDisciplineLevel"
        ),
    },
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS (redirect, secure cookies, HSTS) is set by production's module: prod.py.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
