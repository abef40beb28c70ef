"""Lint drafts before they can be queued: rules over subject, text and HTML, plus the optional
SpamAssassin deep check.

    findings = lint_message(subject, body_text, body_html, has_unsubscribe=True)
    if has_errors(findings): ...
"""

from coldflow.compose.lint.eml import MessageLint, draft_message, lint_eml, lint_file
from coldflow.compose.lint.rules import (
    LintFinding,
    has_errors,
    lint_message,
    mentions_unsubscribe,
    spam_phrases,
)
from coldflow.compose.lint.spamassassin import (
    SpamAssassinError,
    SpamAssassinReport,
    SpamAssassinRule,
    spamassassin_available,
    spamassassin_check,
)

__all__ = [
    "LintFinding",
    "MessageLint",
    "SpamAssassinError",
    "SpamAssassinReport",
    "SpamAssassinRule",
    "draft_message",
    "has_errors",
    "lint_eml",
    "lint_file",
    "lint_message",
    "mentions_unsubscribe",
    "spam_phrases",
    "spamassassin_available",
    "spamassassin_check",
]
