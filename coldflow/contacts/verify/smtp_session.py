"""One SMTP client connection to an MX host, speaking only what a RCPT probe needs.

Every failure becomes one of two exceptions: ConnectionLost (the server hung up, answered 421
or broke the protocol: worth one reconnect) and ServerTimeout (it stopped answering: not worth
waiting for twice). Reply texts are bounded by aiosmtplib's line limits.
"""

from __future__ import annotations

import contextlib

import aiosmtplib
from aiosmtplib import SMTPResponse

from coldflow.contacts.verify.rcpt_answers import readable
from coldflow.contacts.verify.settings import VerifySettings


class ConnectionLost(Exception):
    """The server closed the connection, answered 421 or spoke broken SMTP."""


class ServerTimeout(Exception):
    """The server did not answer in time."""


class SmtpSession:
    def __init__(self, client: aiosmtplib.SMTP, host: str, smtputf8: bool) -> None:
        self._client = client
        self.host = host
        # Whether the server offers SMTPUTF8, needed for non-ASCII local parts.
        self.smtputf8 = smtputf8

    @classmethod
    async def open(cls, host: str, addresses: list[str], settings: VerifySettings) -> SmtpSession:
        """Connect to the first address of `host` that answers, then EHLO (or HELO)."""
        failure: Exception = ConnectionLost(f"{host}: no address to connect to")
        for address in addresses:
            client = aiosmtplib.SMTP(
                hostname=address,
                port=settings.smtp_port,
                local_hostname=settings.helo_name,
                timeout=settings.command_timeout,
                use_tls=False,
                start_tls=False,
            )
            try:
                await client.connect(timeout=settings.connect_timeout)
                return await cls._greet(client, host)
            except (ConnectionLost, ServerTimeout) as error:
                failure = error
            except aiosmtplib.SMTPConnectTimeoutError:
                failure = ServerTimeout(
                    f"{host} ({address}) gave no greeting within {settings.connect_timeout:g} s"
                )
            except aiosmtplib.SMTPConnectResponseError as error:
                failure = ConnectionLost(
                    f"{host} refused the session: {error.code} {readable(error.message)}"
                )
            except (aiosmtplib.SMTPException, OSError) as error:
                failure = ConnectionLost(
                    f"{host} ({address}): cannot connect: {readable(str(error))}"
                )
            client.close()
        raise failure

    @classmethod
    async def _greet(cls, client: aiosmtplib.SMTP, host: str) -> SmtpSession:
        try:
            try:
                await client.ehlo()
            except aiosmtplib.SMTPHeloError:
                await client.helo()
        except aiosmtplib.SMTPHeloError as error:
            raise ConnectionLost(
                f"{host} refused HELO: {error.code} {readable(error.message)}"
            ) from None
        except aiosmtplib.SMTPTimeoutError:
            raise ServerTimeout(f"{host} did not answer EHLO in time") from None
        except aiosmtplib.SMTPException as error:
            raise ConnectionLost(
                f"{host} dropped the connection at EHLO: {readable(str(error))}"
            ) from None
        return cls(client, host, client.supports_extension("smtputf8"))

    async def command(self, verb: str, argument: str = "") -> SMTPResponse:
        words = [verb.encode()] + ([argument.encode("utf-8")] if argument else [])
        try:
            reply = await self._client.execute_command(*words)
        except aiosmtplib.SMTPTimeoutError:
            self.close()
            raise ServerTimeout(f"{self.host} did not answer {verb} in time") from None
        except (aiosmtplib.SMTPException, OSError) as error:
            self.close()
            raise ConnectionLost(
                f"{self.host} dropped the connection at {verb}: {readable(str(error))}"
            ) from None
        if reply.code == 421:
            self.close()
            raise ConnectionLost(f"{self.host} closed the session: 421 {readable(reply.message)}")
        return reply

    async def quit(self) -> None:
        with contextlib.suppress(aiosmtplib.SMTPException, OSError):
            await self._client.quit(timeout=2)
        self.close()

    def close(self) -> None:
        self._client.close()
