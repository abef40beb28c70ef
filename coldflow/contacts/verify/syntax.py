"""The syntax step: is the text an email address, and what do we send to DNS and SMTP."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

# RFC 5321 limits the whole path; nothing longer is worth parsing.
MAX_ADDRESS_LENGTH = 254


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    local_part: str
    # The domain as DNS knows it: IDNA-encoded, lower case.
    ascii_domain: str
    # local@ascii_domain, what RCPT TO carries.
    smtp_address: str
    # A non-ASCII local part needs the server's SMTPUTF8 extension.
    needs_smtputf8: bool


def parse_address(text: str) -> ParsedAddress | str:
    """The parsed address, or why it is not one (a sentence for the step's detail)."""
    candidate = text.strip()
    if not candidate:
        return "empty address"
    if len(candidate) > MAX_ADDRESS_LENGTH:
        return f"longer than {MAX_ADDRESS_LENGTH} characters"
    try:
        # DNS is the MX step's job; special-use names (.test, .local) are refused as undeliverable.
        parsed = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    ascii_domain = parsed.ascii_domain.lower()
    return ParsedAddress(
        local_part=parsed.local_part,
        ascii_domain=ascii_domain,
        smtp_address=f"{parsed.local_part}@{ascii_domain}",
        needs_smtputf8=not parsed.local_part.isascii(),
    )
