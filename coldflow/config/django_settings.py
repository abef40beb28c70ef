"""Django settings, derived entirely from the settings registry (coldflow.config.registry)."""

from __future__ import annotations

from pathlib import Path

from coldflow.config.database import database_settings
from coldflow.config.loader import load_settings
from coldflow.config.queue import huey_settings

CONFIG = load_settings()
PACKAGE_DIR = Path(__file__).resolve().parent.parent

# `coldflow init` generates and stores the real key; commands that serve users refuse to run
# without it (coldflow.cli.instance.require_initialised).
SECRET_KEY = CONFIG["SECRET_KEY"] or "coldflow-uninitialised-instance"
DEBUG = CONFIG["DEBUG"]
ALLOWED_HOSTS = [h.strip() for h in CONFIG["ALLOWED_HOSTS"].split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "coldflow.accounts",
    "coldflow.campaigns",
    "coldflow.discover",
    "coldflow.research",
    "coldflow.contacts",
    "coldflow.send",
    # No models: listed so that the job consumer finds its periodic dispatcher task.
    "coldflow.send.schedule",
    "coldflow.listen",
    "coldflow.analytics",
    "coldflow.webhooks",
    "coldflow.llm",
    "coldflow.jobs",
    "coldflow.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coldflow.web.security.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "coldflow.web.urls"
WSGI_APPLICATION = "coldflow.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coldflow.web.context.navigation",
            ]
        },
    }
]

DATABASES = {"default": database_settings(CONFIG)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

HUEY = huey_settings(CONFIG)

# New passwords (the dashboard's Settings page and `coldflow createuser`) must pass these.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = CONFIG.data_dir / "static"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": CONFIG["LOG_LEVEL"].upper()},
    # aiosmtpd logs every SMTP command at INFO (the sandbox's mail servers run in-process);
    # httpx every request (the LLM client's calls are in the LLM log already).
    "loggers": {
        "huey": {"level": "WARNING"},
        "mail.log": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
    },
}

# Read by coldflow.crypto; a setting of its own so tests can override it.
ENCRYPTION_KEY = CONFIG["ENCRYPTION_KEY"]
