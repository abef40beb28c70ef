"""Loaded with `pytest -p coldflow.testing.environment`, before Django reads its settings.

Tests never read a developer's real data directory or coldflow.toml: they get a fresh data
directory and fixed test keys. DATABASE_URL and REDIS_URL pass through, so the services pass of
`make test` runs the same suite on PostgreSQL and Redis.
"""

import os
import tempfile
from pathlib import Path

_root = Path(tempfile.mkdtemp(prefix="coldflow-tests-"))
_empty_config = _root / "coldflow.toml"
_empty_config.write_text("", encoding="utf-8")

(_root / "data").mkdir()
os.environ["COLDFLOW_DATA_DIR"] = str(_root / "data")
os.environ["COLDFLOW_CONFIG"] = str(_empty_config)
os.environ["SECRET_KEY"] = "coldflow-test-secret-key-not-for-production"
# A fixed, valid Fernet key: tests of encryption at rest read the raw column.
os.environ["ENCRYPTION_KEY"] = "q2Yj8JmHkFvA3W0y1Qp5rXb7c9Td2EeGfLhNiOjUkSs="
# The tests' SMTP and IMAP servers listen on loopback; tests of the address rules unset this.
os.environ["MAILBOX_ALLOW_PRIVATE_SERVERS"] = "true"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coldflow.config.django_settings")
