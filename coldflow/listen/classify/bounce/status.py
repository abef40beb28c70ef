"""Enhanced mail system status codes (RFC 3463): finding them in text, choosing between the
codes a report gives, what they mean, and the pseudo codes used when a report gives none."""

from __future__ import annotations

import re
from functools import reduce

# X.Y.Z with class 2, 4 or 5 and subject 0-7; never part of an IP address or a version number.
_CODE = re.compile(r"(?<![\w.])([245])\.([0-7])\.(\d{1,3})(?![\d]|\.\d)")
# An SMTP reply code such as "550" or "421-" (but not "192.0.2.1" or "10060").
_REPLY_CODE = re.compile(r"(?<![\w.#-])([45]\d\d)(?=[\s:,-]|$)")

# What each standard code says about the failure, in the reason vocabulary of this package.
_REASON_OF_CODE = {
    "4.1.6": "hasmoved",
    "4.1.7": "rejected",
    "4.1.8": "rejected",
    "4.1.9": "systemerror",
    "4.2.1": "blocked",
    "4.2.2": "mailboxfull",
    "4.2.3": "exceedlimit",
    "4.2.4": "filtered",
    "4.3.1": "systemfull",
    "4.3.2": "notaccept",
    "4.3.3": "systemerror",
    "4.3.5": "systemerror",
    "4.4.1": "expired",
    "4.4.2": "networkerror",
    "4.4.3": "systemerror",
    "4.4.4": "networkerror",
    "4.4.5": "systemfull",
    "4.4.6": "networkerror",
    "4.4.7": "expired",
    "4.5.3": "systemerror",
    "4.5.5": "systemerror",
    "4.6.0": "contenterror",
    "4.6.2": "contenterror",
    "4.6.5": "contenterror",
    "4.7.1": "blocked",
    "4.7.2": "blocked",
    "4.7.5": "securityerror",
    "4.7.6": "securityerror",
    "4.7.7": "securityerror",
    "4.7.12": "securityerror",
    "4.7.15": "securityerror",
    "4.7.16": "mesgtoobig",
    "4.7.24": "authfailure",
    "4.7.25": "requireptr",
    "4.7.26": "authfailure",
    "5.1.0": "userunknown",
    "5.1.1": "userunknown",
    "5.1.2": "hostunknown",
    "5.1.3": "userunknown",
    "5.1.4": "filtered",
    "5.1.6": "hasmoved",
    "5.1.7": "rejected",
    "5.1.8": "rejected",
    "5.1.9": "systemerror",
    "5.1.10": "notaccept",
    "5.2.0": "filtered",
    "5.2.1": "filtered",
    "5.2.2": "mailboxfull",
    "5.2.3": "exceedlimit",
    "5.2.4": "filtered",
    "5.3.0": "systemerror",
    "5.3.1": "systemfull",
    "5.3.2": "notaccept",
    "5.3.3": "systemerror",
    "5.3.4": "mesgtoobig",
    "5.3.5": "systemerror",
    "5.4.0": "networkerror",
    "5.4.2": "networkerror",
    "5.4.3": "systemerror",
    "5.4.4": "hostunknown",
    "5.4.6": "networkerror",
    "5.4.7": "expired",
    "5.5.2": "syntaxerror",
    "5.5.3": "toomanyconn",
    "5.5.4": "systemerror",
    "5.5.5": "systemerror",
    "5.5.6": "syntaxerror",
    "5.6.0": "contenterror",
    "5.6.1": "contenterror",
    "5.6.2": "contenterror",
    "5.6.3": "contenterror",
    "5.6.5": "contenterror",
    "5.6.6": "contenterror",
    "5.6.7": "contenterror",
    "5.6.8": "contenterror",
    "5.6.9": "contenterror",
    "5.7.0": "securityerror",
    "5.7.1": "securityerror",
    "5.7.2": "securityerror",
    "5.7.3": "securityerror",
    "5.7.4": "securityerror",
    "5.7.5": "securityerror",
    "5.7.6": "securityerror",
    "5.7.7": "securityerror",
    "5.7.8": "securityerror",
    "5.7.9": "securityerror",
    "5.7.10": "securityerror",
    "5.7.11": "securityerror",
    "5.7.13": "suspend",
    "5.7.14": "securityerror",
    "5.7.15": "securityerror",
    "5.7.16": "mesgtoobig",
    "5.7.17": "hasmoved",
    "5.7.18": "hasmoved",
    "5.7.19": "securityerror",
    "5.7.20": "authfailure",
    "5.7.21": "authfailure",
    "5.7.22": "authfailure",
    "5.7.23": "authfailure",
    "5.7.24": "authfailure",
    "5.7.25": "requireptr",
    "5.7.26": "authfailure",
    "5.7.27": "notaccept",
    "5.7.28": "spamdetected",
    "5.7.29": "authfailure",
}

# Pseudo detail numbers (X.0.9NN) standing in for a code when a report has none; the numbering
# is the sisimai project's, so that reports read by either tool compare.
_PSEUDO_DETAIL = {
    "undefined": 900,
    "onhold": 901,
    "syntaxerror": 902,
    "suppressed": 903,
    "norelaying": 909,
    "filtered": 910,
    "userunknown": 911,
    "hostunknown": 912,
    "hasmoved": 916,
    "rejected": 918,
    "suspend": 921,
    "mailboxfull": 922,
    "exceedlimit": 923,
    "authfailure": 926,
    "systemerror": 930,
    "systemfull": 931,
    "notaccept": 932,
    "mesgtoobig": 934,
    "mailererror": 939,
    "networkerror": 944,
    "toomanyconn": 945,
    "speeding": 946,
    "expired": 947,
    "contenterror": 960,
    "securityerror": 970,
    "blocked": 971,
    "policyviolation": 972,
    "requireptr": 973,
    "notcompliantrfc": 974,
    "badreputation": 975,
    "failedstarttls": 976,
    "spamdetected": 980,
    "virusdetected": 981,
}
# A temporary failure can never be about an address that does not exist.
_PERMANENT_ONLY = frozenset({"userunknown", "hostunknown", "hasmoved"})


def find_codes(text: str) -> list[str]:
    return [".".join(match.groups()) for match in _CODE.finditer(text)]


def reply_code(text: str) -> str:
    """The first failure reply code (4xx, 5xx) in a diagnostic text, or ""."""
    match = _REPLY_CODE.search(text)
    return match.group(1) if match else ""


# Codes beyond RFC 3463's list (Microsoft's 5.1.351, 5.7.606, ...) still name their subject.
_REASON_OF_SUBJECT = {
    "1": "userunknown",
    "3": "systemerror",
    "6": "contenterror",
    "7": "securityerror",
}


def reason_of(code: str) -> str:
    if code in _REASON_OF_CODE:
        return _REASON_OF_CODE[code]
    parts = code.split(".")
    if len(parts) == 3 and len(parts[2]) == 3 and (parts[1] != "1" or parts[0] == "5"):
        return _REASON_OF_SUBJECT.get(parts[1], "")
    return ""


def pseudo_code(reason: str, temporary: bool) -> str:
    detail = _PSEUDO_DETAIL.get(reason)
    if detail is None:
        return ""
    klass = "4" if temporary and reason not in _PERMANENT_ONLY else "5"
    return f"{klass}.0.{detail}"


def code_in_text(text: str) -> str:
    """The most telling status code in a text: generic codes (X.0.0, and 4.4.7 which hides the
    real cause) count only when there is nothing better."""
    codes = find_codes(text)
    failures = [code for code in codes if code[0] != "2"]
    # A session transcript shows the successes before the failure; they are not the verdict.
    codes = failures or codes
    specific = [code for code in codes if not _is_generic(code)]
    ordered = specific + [code for code in codes if _is_generic(code)][:1]
    return reduce(lambda chosen, other: prefer(chosen, other), ordered) if ordered else ""


def _is_generic(code: str) -> bool:
    return code.endswith(".0.0") or code == "4.4.7"


def prefer(reported: str, in_text: str, smtp_reply: str = "") -> str:
    """Choose between the code a report states (the DSN Status field) and a code found in the
    diagnostic text: the more specific one wins."""
    if not reported or not in_text or reported == in_text:
        return reported or in_text
    if smtp_reply and reported[0] != in_text[0]:
        # The class the remote server actually answered with decides.
        if smtp_reply[0] == reported[0]:
            return reported
        if smtp_reply[0] == in_text[0]:
            return in_text
    _, reported_subject, reported_detail = reported.split(".")
    _, text_subject, text_detail = in_text.split(".")
    if reported_subject == "0" and reported_detail == "0":
        return in_text if not (text_subject == "0" and text_detail == "0") else reported
    if "0" in (reported_subject, reported_detail) and "0" not in (text_subject, text_detail):
        return in_text
    if text_subject == "0" and text_detail == "0":
        return reported
    # Codes that name a symptom (timeout, too many errors, protocol trouble) rather than
    # the cause the remote server gave.
    if reported in ("4.4.7", "4.7.0") or reported.startswith("5.3.") or reported_subject == "5":
        return in_text
    if reported == "5.1.1":
        return (
            reported
            if "0" in (text_subject, text_detail) or in_text.startswith("5.5.")
            else in_text
        )
    if reported == "5.1.3" and in_text.startswith("5.7."):
        return in_text
    return reported
