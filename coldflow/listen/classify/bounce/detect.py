"""Is a message a delivery failure report? Structure first (RFC 3464 reports, Exim's
X-Failed-Recipients), then the wording mail systems use, in several languages."""

from __future__ import annotations

import re
from email.message import Message

from coldflow.listen.classify import mime

_DAEMON_LOCAL_PART = re.compile(
    r"^(mailer[-_]?daemon|mail[-_]?daemon|mdaemon|postmaster|post_master|poostmaster"
    r"|mail[-_.]?delivery[-_.]?(system|subsystem)?|bounces?|nobody|ndr)(\+.*)?$",
    re.IGNORECASE,
)
_DAEMON_NAME = re.compile(
    r"mail delivery (system|subsystem|service)|mailer[- ]daemon|postmaster|mail system"
    r"|ndr administrator|delivery status",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    r"undeliver(able|ed)|delivery (status notification|failure|notification|report|problem"
    r"|has failed|failed)|returned mail|mail delivery failed|failure notice|failed delivery"
    r"|failure delivery|delivery failure|non[- ]?delivery|mail system error|returned to sender"
    r"|could not be delivered|not delivered|delayed mail|message delayed|delivery delayed"
    r"|warning: (could not send|message .{1,60} delayed)|non recapitabile|unzustellbar"
    r"|nicht zustellbar|non distribu|no se (puede|pudo) entregar|error sending your mail"
    r"|mail failed|mail failure|postmaster notify|loop alert|message delivery has failed"
    r"|mail delivery status|unable to deliver|недоставлен|не доставлено|non remis|onbestelbaar"
    r"|échec de la remise|entrega fallida|não é possível entregar|エラー通知|配信エラー|送信エラー"
    r"|不達|宛先不明|退信|投递失败|未送达",
    re.IGNORECASE,
)
REPORT_WORDING = re.compile(
    r"could not be (delivered|sent)|couldn'?t be delivered|was not delivered|wasn'?t delivered"
    r"|delivery (to the following recipients? )?(has )?failed|failed permanently|undeliverable"
    r"|undelivered|unable to deliver|wasn'?t able to deliver|permanent fatal errors"
    r"|transcript of session follows|following address(es)? (had|failed)|did not reach"
    r"|delivery status notification|has not yet been delivered|has been delayed"
    r"|delivery problems|returned to (the )?sender|error (occurred )?while trying to deliver"
    r"|error delivering your mail|rejected your message|mail delivery software"
    r"|^final-recipient:|not be delivered|recipients? (was|were) rejected|could not deliver"
    r"|failure reasons|failed to deliver|following recipients returned|no valid recipients"
    r"|invalid user address|your message (cannot|could not) be delivered|duplicated message-id"
    r"|konnte nicht zugestellt werden|n'a pas pu (être|etre) (remis|délivré|distribué)"
    r"|no (se )?pudo (ser )?entregar|il recapito non è riuscito|не может быть (доставлено|отправлено)"
    r"|zustellung an folgende empfänger|fehler bei der nachrichtenzustellung|échec de la remise"
    r"|la remise .{0,40}a échoué|bezorging .{0,40}mislukt"
    r"|送信できませんでした|配信できませんでした|届きませんでした|送信に失敗しました",
    re.IGNORECASE | re.MULTILINE,
)


def is_bounce(message: Message, body: str) -> bool:
    content_type = message.get_content_type()
    report_type = str(message.get_param("report-type", "") or "").lower()
    if content_type == "multipart/report" and report_type == "delivery-status":
        return True
    if mime.header(message, "X-Failed-Recipients"):
        return True
    if any(part.get_content_type() == "message/delivery-status" for part in mime.walk(message)):
        return True
    subject = _SUBJECT.search(mime.header(message, "Subject"))
    wording = REPORT_WORDING.search(body[:30_000])
    from_daemon = from_mail_system(message)
    if (subject and wording) or (subject and from_daemon):
        return True
    return bool(wording and (from_daemon or _carries_original(message)))


def from_mail_system(message: Message) -> bool:
    sender = mime.header(message, "From")
    address = mime.first_address(sender)
    if not address:
        return not sender.strip("<> ") or bool(_DAEMON_NAME.search(sender))
    local_part = address.split("@", 1)[0]
    return bool(_DAEMON_LOCAL_PART.match(local_part) or _DAEMON_NAME.search(sender))


def _carries_original(message: Message) -> bool:
    return any(
        part.get_content_type() in ("message/rfc822", "text/rfc822-headers")
        for part in mime.walk(message)
        if part is not message
    )
