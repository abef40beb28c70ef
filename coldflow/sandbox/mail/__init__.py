"""The sandbox's mail: prospects' MX hosts, the user's mailboxes (submission and IMAP), and
prospects who answer. Start it with `MailServers(world)`."""

from coldflow.sandbox.mail.routing import Delivery
from coldflow.sandbox.mail.servers import MailServers

__all__ = ["Delivery", "MailServers"]
