"""Email verification: syntax, disposable and role checks, MX lookup and SMTP RCPT probes.

results = await verify_many(["ana@example.org"], VerifySettings(), MemoryCache())
"""

from coldflow.contacts.verify.cache import DomainFacts, MemoryCache, VerificationCache
from coldflow.contacts.verify.pipeline import VerifyStats, verify_many
from coldflow.contacts.verify.result import Step, Verdict, VerificationResult
from coldflow.contacts.verify.settings import VerifySettings

__all__ = [
    "DomainFacts",
    "MemoryCache",
    "Step",
    "Verdict",
    "VerificationCache",
    "VerificationResult",
    "VerifySettings",
    "VerifyStats",
    "verify_many",
]
