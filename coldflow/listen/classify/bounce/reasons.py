"""Why a delivery failed: a reason from a closed vocabulary, derived from the diagnostic text,
the SMTP phase the failure happened in and the status code.

The vocabulary is the sisimai project's (userunknown, mailboxfull, blocked, ...), so that
reports read here compare with what that widely used bounce parser says. The patterns are
matched against lower-cased text with SMTP continuation prefixes removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coldflow.listen.classify.bounce.status import reason_of, reply_code


@dataclass
class Evidence:
    """What a report says about one recipient, before interpretation."""

    address: str
    status: str = ""  # the Status field of a delivery report, when there is one
    diagnostic: str = ""  # the remote server's answer and the report's own explanation
    diagnostic_type: str = ""  # "smtp", "x-unix", "x-postfix", ... (RFC 3464 diagnostic-type)
    action: str = ""  # "failed", "delayed", "delivered", ... (RFC 3464 action)
    command: str = ""  # SMTP phase of the failure: CONN, MAIL, RCPT or DATA
    # The reporting system is the recipient's own mail store (not a relay quoting a remote
    # server), so its "no such user" is final whatever the SMTP phase.
    authoritative: bool = False
    # A format's own reading, for formats whose fixed wording carries the reason.
    reason: str = ""
    temporary: bool = False


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


# Ordered: the first reason whose pattern matches wins, so specific causes come before the
# generic ones they are often worded with ("recipient rejected: mailbox full").
_TEXT_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # The sending service refused to try: the address is on its suppression list.
    (
        "suppressed",
        _any(
            r"suppressed sending to this address|on the (account[- ]level |global )?suppression list"
        ),
    ),
    (
        "mailboxfull",
        _any(
            r"mail ?box (is )?(full|over ?quota|exceeded)",
            r"mailbox_full|mailfolder is full|inbox is (full|out of storage)",
            r"over ?quota|quota (exceeded|exceed|full)|exceeded (its |the |their )?(storage |disk )?quota",
            r"storage (quota|space)|out of storage",
            r"not enough (disk |storage )?space",
            r"(mailbox|recipient'?s? mailbox) exceeded|exceeded the local limit",
            r"too many messages in (the |this )?(mail)?box|account is full|user'?s? (mail)?box is full",
            r"boite (aux lettres )?pleine|postfach (ist )?voll|casella (di posta )?piena|buz[oó]n lleno",
        ),
    ),
    (
        "mesgtoobig",
        _any(
            r"message (is )?too (big|large)|message size too (big|large)",
            r"(mail|message) size limit exceeded|size of (the |your )?message (is )?too",
            r"too large for (this|the) recipient|message length exceeds",
        ),
    ),
    (
        "exceedlimit",
        _any(
            r"message size exceeds|exceeds? (the )?(fixed )?maximum (allowed )?message size",
            r"exceeds? (the )?size limit|size limit exceeded",
        ),
    ),
    (
        "suspend",
        _any(
            r"account (has been |is |was )?(disabled|suspended|inactive|locked|frozen|deactivated)",
            r"mailbox (has been |is )?(disabled|suspended|inactive|frozen|locked)",
            r"user (account )?(is )?(disabled|suspended|inactive|frozen)",
            r"temporar\w* (locked|disabled)|account that you tried to reach is (disabled|inactive)",
            r"recipient account is (blocked|disabled|suspended)|compte du destinataire est bloque",
            r"disabled (recipient|user|mailbox)|user account disabled|account (is )?deactivated",
        ),
    ),
    (
        "hasmoved",
        _any(
            r"\bhas (been )?moved\b|no longer (on|at) (this )?server|recipient no longer on",
            r"not our (user|customer)|user has moved|address has changed",
        ),
    ),
    (
        "norelaying",
        _any(
            r"relay(ing)? (access )?(denied|not (allowed|permitted)|prohibited)",
            r"not (permitted|allowed|authori[sz]ed) to relay|unable to relay|we do not relay|no relaying",
            r"authenticated relay|email address is not verified|identities failed the check",
            r"allowed rcpthosts",
        ),
    ),
    (
        "authfailure",
        _any(
            r"\b(spf|dkim|dmarc)\b|dmarcrejection",
            r"authentication (checks|information)|authentication checks? failed",
        ),
    ),
    (
        "requireptr",
        _any(
            r"reverse dns|\bptr\b|\brdns\b|reverse (lookup|dns)|reverse-dns",
            r"(client|host|ip) name lookup failed|cannot find your (host ?name|reverse)",
            r"mismatches client ip|unverif(y|i)able sending ip",
        ),
    ),
    (
        "notcompliantrfc",
        _any(
            r"multiple addresses in from|not (rfc|rfc ?5322|rfc ?2822|rfc ?822)[ -]compliant",
            r"not compliant with rfc|violates rfc|duplicate (header|message-id header)",
        ),
    ),
    (
        "badreputation",
        _any(
            r"reputation|\[?tss0[0-9]\]?|unexpected volume or user complaints",
        ),
    ),
    (
        "speeding",
        _any(
            r"receiving mail at a rate|recipients this hour|messages this hour",
            r"sending (mail )?too (fast|quickly)|(?<!connection )rate limit|sending rate",
        ),
    ),
    (
        "toomanyconn",
        _any(
            r"too many (concurrent |simultaneous |smtp )?(connections|sessions)",
            r"connection rate limit|connection limit|(ip|connection) frequency limited",
            r"too many recipients",
        ),
    ),
    (
        "spamdetected",
        _any(
            r"\bspam\b|unsolicited|\bube\b|bulk (e-?mail|mail)|junk mail",
            r"ofr_506",  # Orange's code for a message refused as spam
        ),
    ),
    ("virusdetected", _any(r"\bvirus|malware|infected|trojan")),
    (
        "policyviolation",
        _any(
            r"polic(y|ies) (reasons|violation)|violat(es|ion of) (our |local |the )?polic",
            r"local policy|protocol violation|rejected for policy|not accepted for policy",
            r"content presents a potential|\bheader error\b",
        ),
    ),
    (
        "rejected",
        _any(
            r"sender (address |was )?(rejected|refused|denied|blacklisted|not allowed|invalid|unknown)",
            r"domain of sender address|sender domain|sender verif|bad sender|invalid sender",
            r"sending to/from an address|from: domain is invalid|purported responsible address",
            r"mail from .{0,80} rejected|your address has been blacklisted",
        ),
    ),
    (
        "notaccept",
        _any(
            r"couldn'?t find a mail exchanger|no mx (record|host)|null mx",
            r"does not accept (e-?)?mail|not accepting (e-?)?mail|no smtp service",
            r"domain does not receive|no host found for existing smtp connection",
        ),
    ),
    # Exim's own wording for a forwarding loop is about the message, not the network.
    ("contenterror", _any(r"too many \"?received\"? headers")),
    (
        "networkerror",
        _any(
            r"wasn'?t able to establish (an )?smtp connection|hop count exceeded|routing loop",
            r"mail loop|too many hops|loop detected|name server reply|host name lookup failure",
            r"network (is )?unreachable|no route to host|temporary failure in name resolution",
            r"had no relevant answers|nxdomain",
            r"dns (lookup )?(error|failure|failed)|lost connection with|loops back to myself",
        ),
    ),
    (
        "hostunknown",
        _any(
            r"host unknown|unknown host|no such (domain|host)|unknown domain",
            r"domain (name )?(does not|doesn'?t) exist|domain not found|(host|domain) (name )?not found",
            r"host or domain name not found|name service error|couldn'?t find any host",
            r"unrout(e)?able|illegal host|bad destination system|domain is not reachable",
            r"(account or domain|domain) may not exist|missing the proper dns",
            r"point to non-existent hosts?|all host address lookups failed permanently",
            r"^[^ ]*\b[a-z0-9-]+(\.[a-z0-9-]+)+ does not exist|\d{3} [a-z0-9-]+(\.[a-z0-9-]+)+ does not exist",
        ),
    ),
    (
        "userunknown",
        _any(
            r"user ?unknown|unknown (user|recipient|mailbox|local[- ]?part|e-?mail address)",
            r"no such (user|mailbox|recipient|address|person|account)",
            r"(user|mailbox|address|recipient|account|e-?mail address) (does not|doesn'?t|not) exist",
            r"(user|mailbox|recipient|address|account) (was )?not found|was not found|wasn'?t found",
            r"(address|recipient|mailbox) (could not|couldn'?t) be found",
            r"mailbox (is )?(unavailable|not available|invalid|not present)|no mailbox here",
            r"invalid (recipient|mailbox|address|user)|not (a )?valid (recipient|user|mailbox)",
            r"recipient address rejected: (user|unknown|invalid|access denied)",
            r"no account by that name|unknown or illegal (user|alias)|doesn'?t have an? .{1,60} account",
            r"not listed in (the |public )?(domino directory|name & address book|name directory)",
            r"recipient name is not recognized|recipnotfound|recipientnotfound|resolver\.adr\.recip",
            r"email account that you tried to reach does not exist|no valid recipients",
            r"invalid final delivery userid|not a known user|user not local|addressee unknown",
            r"utilisateur inconnu|destinataire invalide|benutzer unbekannt|unbekannter empf",
            r"usuario (desconocido|no existe)|utente (sconosciuto|inesistente)",
        ),
    ),
    (
        "blocked",
        _any(
            r"blocked using|blacklisted|black ?list|block ?list|\brbl\b|dnsbl|spamhaus|spamcop",
            r"(client|your) (host|ip)( address)? (is )?(rejected|blocked|banned|listed)",
            r"ip (address )?(is )?(blocked|banned|blacklisted|listed)|banned sending ip",
            r"connection (refused|rejected)|refused to talk|service refused|\bblocked\b",
            r"no access from|open relay|smtp server of your isp|dynamic ip|dial-?up",
            r"not accepted from this ip|not authori[sz]ed to send (e-?mail )?directly",
        ),
    ),
    (
        "filtered",
        _any(
            r"\bfiltered\b|domain filter|content filter|recipients? (was|were) rejected by",
        ),
    ),
    (
        "systemerror",
        _any(
            r"system error|internal (server |system )?error|config(uration)? error",
            r"queue file write error|transaction failed|service (currently )?unavailable",
            r"ldap server|does not support tls|duplicated message-id|loop alert|server (is )?busy",
            r"delivery to (file|pipe) forbidden|local delivery failed|lmtp error after",
        ),
    ),
    (
        "expired",
        _any(
            r"expired|retry timeout|in the queue too long|giving up|gave up|timed out",
            r"could not deliver for|not (been )?delivered (within|for|after)",
            r"unable to deliver .{0,40}after|requests to connect|host not reachable",
            r"undeliverable for \d|has been delayed|delivery (is |has been )?delayed",
            r"retry time not reached|have been failing for a long time",
        ),
    ),
    (
        "systemfull",
        _any(r"insufficient (system |disk )?(storage|space)|system (is )?full|disk (is )?full"),
    ),
    (
        "mailererror",
        _any(
            r"pipe to \||command output|procmail|mailer error|local delivery error",
            r"maildrop|child status|exit (code|status)",
        ),
    ),
    ("contenterror", _any(r"media error|content error|invalid (message )?content")),
    (
        "securityerror",
        _any(
            r"unauthenticated senders?|authentication required|must authenticate|not authenticated",
            r"encryption (required|needed)|not authori[sz]ed",
        ),
    ),
    (
        "syntaxerror",
        _any(
            r"syntax error|improper sequence|bad sequence of commands",
            r"command (parameter )?not (implemented|recognized)|command unrecognized",
            r"angle-brackets nested too deep|expected word or \"<\"|malformed address:",
            r"domain missing in source-routed address",
        ),
    ),
    ("onhold", _any(r"\bon hold\b")),
)

# Wording of a recipient directory lookup (the final mail store speaking, not a relay): the
# address does not exist, whatever the SMTP phase the answer came in.
_DIRECTORY_SAYS_UNKNOWN = _any(
    r"not listed in (the |public )?(domino directory|name & address book|name directory)",
    r"recipient name is not recognized|resolver\.adr\.|recip(ient)?notfound",
    r"invalid final delivery userid|unknown user: |delivery error: dd |no valid recipients for this mm",
    r"address couldn'?t be found|recipient address rejected: access denied|unknown local-part",
)

# Reasons that say the message or the sender was refused at MAIL FROM, so whatever the
# wording, the recipient's address was never looked at.
_NOT_ABOUT_RECIPIENT_AT_MAIL = frozenset({"userunknown", "hostunknown", "filtered", "hasmoved"})

_CONTINUATION = re.compile(r"\b[245]\d\d[ -](?=[245]\.[0-7]\.\d)|\b[245]\d\d-")
_ENHANCED = re.compile(r"\b[245]\.[0-7]\.\d{1,3}\b")


def normalise(text: str) -> str:
    """Lower-case, join SMTP continuation lines ("550-5.1.1 ..."), collapse whitespace."""
    text = _CONTINUATION.sub(" ", text.lower())
    text = _ENHANCED.sub(" ", text)
    return " ".join(text.split())


def text_reason(text: str) -> str:
    for reason, pattern in _TEXT_REASONS:
        if pattern.search(text):
            return reason
    return ""


def decide(evidence: Evidence) -> str:
    """The reason for one recipient's failure."""
    if evidence.reason:
        return evidence.reason
    action = evidence.action.lower()
    if evidence.status.startswith("2.") or action in ("delivered", "relayed", "expanded"):
        return "delivered"
    text = normalise(evidence.diagnostic)
    local_program = evidence.diagnostic_type.lower() == "x-unix"
    code_reason = reason_of(evidence.status)

    reason = text_reason(text)
    if reason == "userunknown" and local_program:
        # A local delivery program's complaint, not the mail server's verdict on the address.
        reason = ""
    elif reason == "userunknown" and not (
        evidence.command == "RCPT"
        or evidence.authoritative
        or code_reason == "userunknown"
        or _DIRECTORY_SAYS_UNKNOWN.search(text)
    ):
        # Refused after the recipient was accepted: a filter speaking, not a missing mailbox.
        reason = "filtered"
    if reason in _NOT_ABOUT_RECIPIENT_AT_MAIL and evidence.command == "MAIL":
        reason = "rejected"
    if reason:
        return reason

    if code_reason and not (local_program and code_reason in ("userunknown", "systemerror")):
        if evidence.command == "MAIL" and code_reason in _NOT_ABOUT_RECIPIENT_AT_MAIL:
            return "rejected"
        return code_reason
    if action == "delayed":
        return "expired"
    if evidence.command == "CONN":
        return "blocked"
    if local_program:
        return "mailererror"
    if evidence.command == "MAIL":
        return "rejected"
    reply = reply_code(text)
    if reply in ("500", "501", "502", "503", "504"):
        return "syntaxerror"
    if reply == "551":
        return "hasmoved"
    # Something was said that no rule understands (held), or nothing beyond the address.
    said = re.sub(r"\S+@\S+", " ", text)
    return "onhold" if re.search(r"[^\W\d_]{2}", said) else "undefined"
