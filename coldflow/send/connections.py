"""Connecting to a mailbox's servers: SMTP submission and IMAP, with failures named in words.

Every failure is a MailServerError whose stage says what went wrong: dns (the name does not
resolve), tcp (no connection), tls (handshake, certificate, no STARTTLS), greeting, auth (user
name, password or token refused), or a transaction stage (mail, rcpt, data). Plain connections
are refused unless every address of the host is loopback (the sandbox, a local relay).
"""

from __future__ import annotations

import ipaddress
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from coldflow.send.oauth import xoauth2_string


@dataclass(frozen=True)
class ServerAccess:
    host: str
    port: int
    # starttls, tls (implicit) or plain (loopback only)
    security: str
    username: str
    password: str = ""
    # XOAUTH2 instead of the password when set.
    access_token: str = ""
    timeout: float = 60.0

    def __repr__(self) -> str:  # never print credentials, not even in a traceback
        return f"ServerAccess({self.host}:{self.port}, {self.security}, {self.username})"


class MailServerError(Exception):
    def __init__(self, stage: str, detail: str, code: int | None = None, text: str = ""):
        self.stage = stage
        self.detail = detail
        self.code = code
        self.text = text
        super().__init__(f"{stage}: {detail}")


def resolve_host(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise MailServerError("dns", f"cannot resolve {host} ({error.strerror})") from None
    return sorted({info[4][0] for info in infos})


def is_loopback_host(host: str) -> bool:
    try:
        return all(ipaddress.ip_address(a).is_loopback for a in resolve_host(host, 0))
    except MailServerError:
        return False


def _check_security(access: ServerAccess, addresses: list[str]) -> None:
    if access.security not in ("starttls", "tls", "plain"):
        raise MailServerError("tls", f"unknown security {access.security!r}")
    if access.security == "plain" and not all(
        ipaddress.ip_address(a).is_loopback for a in addresses
    ):
        raise MailServerError(
            "tls",
            f"refusing an unencrypted connection to {access.host}: plain is for loopback only; "
            "use starttls or tls",
        )


def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _decode(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


class SmtpSession:
    """One SMTP submission connection, opened on first use and reused for many messages."""

    def __init__(self, access: ServerAccess, *, local_hostname: str | None = None):
        self.access = access
        self.local_hostname = local_hostname or socket.gethostname()
        self._client: smtplib.SMTP | None = None
        self.connections = 0

    def open(self) -> None:
        access = self.access
        addresses = resolve_host(access.host, access.port)
        _check_security(access, addresses)
        where = f"{access.host}:{access.port}"
        try:
            if access.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    access.host,
                    access.port,
                    local_hostname=self.local_hostname,
                    timeout=access.timeout,
                    context=_tls_context(),
                )
            else:
                client = smtplib.SMTP(
                    access.host,
                    access.port,
                    local_hostname=self.local_hostname,
                    timeout=access.timeout,
                )
        except ssl.SSLError as error:
            raise MailServerError("tls", f"TLS handshake with {where} failed: {error}") from None
        except smtplib.SMTPConnectError as error:
            raise MailServerError(
                "greeting",
                f"{where} refused the session",
                error.smtp_code,
                _decode(error.smtp_error),
            ) from None
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise MailServerError(
                "tcp", f"cannot connect to {where}: {_os_reason(error)}"
            ) from None
        self.connections += 1
        try:
            client.ehlo()
            if access.security == "starttls":
                if not client.has_extn("starttls"):
                    raise MailServerError("tls", f"{where} does not offer STARTTLS")
                client.starttls(context=_tls_context())
                client.ehlo()
            self._login(client)
        except MailServerError:
            _close_quietly(client)
            raise
        except ssl.SSLError as error:
            _close_quietly(client)
            raise MailServerError("tls", f"STARTTLS with {where} failed: {error}") from None
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            _close_quietly(client)
            raise MailServerError("tcp", f"{where} dropped the connection: {error}") from None
        self._client = client

    def _login(self, client: smtplib.SMTP) -> None:
        access = self.access
        if not access.username:
            return
        try:
            if access.access_token:
                initial = xoauth2_string(access.username, access.access_token)
                client.auth("XOAUTH2", _xoauth2(initial), initial_response_ok=True)
            else:
                client.login(access.username, access.password)
        except smtplib.SMTPAuthenticationError as error:
            raise MailServerError(
                "auth",
                f"the server refused the login of {access.username}",
                error.smtp_code,
                _decode(error.smtp_error),
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise MailServerError(
                "auth", "the server offers no authentication on this connection"
            ) from None
        except smtplib.SMTPException as error:
            raise MailServerError("auth", f"login failed: {error}") from None

    @property
    def is_open(self) -> bool:
        return self._client is not None

    def send(self, sender: str, recipient: str, raw: bytes) -> tuple[int, str]:
        """Run one transaction; returns the final answer (2xx) or raises MailServerError whose
        stage tells how far it got (`data`: the content may have reached the server)."""
        reused = self._client is not None
        if not reused:
            self.open()
        try:
            return self._transaction(sender, recipient, raw, reused=reused)
        except _StaleConnection:
            # An idle reused connection the server closed: nothing was sent, open a new one.
            self.close()
            self.open()
            return self._transaction(sender, recipient, raw, reused=False)

    def _transaction(
        self, sender: str, recipient: str, raw: bytes, *, reused: bool
    ) -> tuple[int, str]:
        client = self._client
        assert client is not None
        stage = "mail"
        try:
            code, text = client.mail(sender)
            if code != 250:
                self._reset()
                raise MailServerError(stage, "sender refused", code, _decode(text))
            stage = "rcpt"
            code, text = client.rcpt(recipient)
            if code not in (250, 251):
                self._reset()
                raise MailServerError(stage, "recipient refused", code, _decode(text))
            stage = "data"
            try:
                code, text = client.data(raw)
            except smtplib.SMTPDataError as error:
                # DATA itself refused: the content was never sent.
                self._reset()
                raise MailServerError(
                    stage, "DATA refused", error.smtp_code, _decode(error.smtp_error)
                ) from None
            if not 200 <= code < 300:
                self._reset()
                raise MailServerError(stage, "message refused", code, _decode(text))
            return code, _decode(text)
        except smtplib.SMTPServerDisconnected as error:
            self._client = None
            if stage == "mail" and reused:
                raise _StaleConnection() from None
            raise MailServerError(stage, f"connection lost: {error}") from None
        except OSError as error:  # timeouts and resets
            _close_quietly(client)
            self._client = None
            raise MailServerError(stage, f"connection failed: {_os_reason(error)}") from None

    def _reset(self) -> None:
        try:
            assert self._client is not None
            self._client.rset()
        except (smtplib.SMTPException, OSError):
            _close_quietly(self._client)
            self._client = None

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except (smtplib.SMTPException, OSError):
                _close_quietly(self._client)
            self._client = None

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _StaleConnection(Exception):
    pass


def _xoauth2(initial: str) -> Callable[..., str]:
    def answer(challenge: bytes | None = None) -> str:
        # After a refused token the server sends a JSON error as a challenge; an empty answer
        # ends the exchange so the 535 that follows is reported.
        return initial if challenge is None else ""

    return answer


def _os_reason(error: BaseException) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _close_quietly(client) -> None:
    try:
        if isinstance(client, IMAPClient):
            client.shutdown()
        else:
            client.close()
    except Exception:  # already broken; nothing to save
        pass


# IMAP


def open_imap(access: ServerAccess) -> IMAPClient:
    """A logged-in IMAPClient, or MailServerError naming the failing stage."""
    addresses = resolve_host(access.host, access.port)
    _check_security(access, addresses)
    where = f"{access.host}:{access.port}"
    try:
        client = IMAPClient(
            access.host,
            port=access.port,
            ssl=access.security == "tls",
            ssl_context=_tls_context() if access.security == "tls" else None,
            timeout=access.timeout,
        )
    except ssl.SSLError as error:
        raise MailServerError("tls", f"TLS handshake with {where} failed: {error}") from None
    except (OSError, IMAPClientError) as error:
        raise MailServerError("tcp", f"cannot connect to {where}: {_os_reason(error)}") from None
    try:
        client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if access.security == "starttls":
            client.starttls(_tls_context())
        if access.access_token:
            client.oauth2_login(access.username, access.access_token)
        else:
            client.login(access.username, access.password)
    except ssl.SSLError as error:
        _close_quietly(client)
        raise MailServerError("tls", f"STARTTLS with {where} failed: {error}") from None
    except LoginError as error:
        _close_quietly(client)
        raise MailServerError(
            "auth", f"the server refused the login of {access.username}", text=_decode(str(error))
        ) from None
    except (IMAPClientError, OSError) as error:
        _close_quietly(client)
        stage = "tls" if access.security == "starttls" and "STARTTLS" in str(error) else "auth"
        raise MailServerError(stage, f"{where}: {error}") from None
    return client


def close_imap(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the connection is going away either way
        _close_quietly(client)
