"""A small, real IMAP4rev1 server (RFC 3501) over the sandbox's in-memory mail store."""
