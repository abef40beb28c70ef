#!/usr/bin/env bash
# Starts Debian's Dovecot (IMAP) and Postfix (submission, SASL through Dovecot) on loopback so
# the generic mail tests also run against real servers, and prints the variables that point
# the tests at them:
#
#   eval "$(bash tests/sandbox/mail/real_servers.sh)"      # as root; installs what's missing
#   .venv/bin/pytest -p no:django -q tests/sandbox/mail
#   bash tests/sandbox/mail/real_servers.sh stop
set -euo pipefail

root=/tmp/coldflow-real-mail
imap_port=14143
submission_port=15587

if [[ "${1:-}" == "stop" ]]; then
    postfix stop >/dev/null 2>&1 || true
    dovecot -c "$root/dovecot.conf" stop >/dev/null 2>&1 || true
    exit 0
fi

if ! command -v dovecot >/dev/null || ! command -v postfix >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -qq >&2
    apt-get install -y -qq dovecot-imapd postfix >&2
fi

mkdir -p "$root/mail" "$root/run" "$root/state"
chmod 755 "$root"
chown dovecot:dovecot "$root/mail"
# "nopenalty": failed logins on purpose must not slow down the next test's login.
echo "sam:{PLAIN}s3cret::::::nopenalty" >"$root/users"

cat >"$root/dovecot.conf" <<EOF
protocols = imap
listen = 127.0.0.1
base_dir = $root/run
state_dir = $root/state
log_path = $root/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 100
mail_location = maildir:$root/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $root/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$root/mail/%u
}
service imap-login {
  inet_listener imap {
    port = $imap_port
  }
}
service auth {
  unix_listener /var/spool/postfix/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
}
EOF

[[ -f /etc/postfix/master.cf ]] || cp /usr/share/postfix/master.cf.dist /etc/postfix/master.cf
[[ -f /etc/postfix/main.cf ]] || touch /etc/postfix/main.cf
# Mail for sender.test goes into the Maildirs Dovecot serves (Postfix's virtual delivery agent,
# as Dovecot's user); an unknown user there is accepted at submission and bounced with a real
# delivery report to the sender, like a remote server that accepts and bounces later.
postconf -e \
    "compatibility_level = 3.6" \
    "myhostname = mail.sender.test" \
    "mydestination = localhost" \
    "virtual_mailbox_domains = sender.test" \
    "virtual_mailbox_base = $root/mail" \
    "virtual_mailbox_maps = inline:{sam@sender.test=sam/}" \
    "virtual_uid_maps = static:$(id -u dovecot)" \
    "virtual_gid_maps = static:$(id -g dovecot)" \
    "inet_interfaces = loopback-only" \
    "inet_protocols = ipv4" \
    "maillog_file = /var/log/postfix-coldflow.log" \
    "smtpd_sasl_type = dovecot" \
    "smtpd_sasl_path = private/auth" \
    "smtpd_tls_security_level = none" \
    "local_recipient_maps =" \
    "alias_maps ="
service="127.0.0.1:$submission_port/inet"
postconf -M "$service=127.0.0.1:$submission_port inet n - n - - smtpd"
postconf -P \
    "$service/syslog_name=postfix/submission" \
    "$service/smtpd_sasl_auth_enable=yes" \
    "$service/smtpd_tls_auth_only=no" \
    "$service/smtpd_error_sleep_time=0" \
    "$service/smtpd_reject_unlisted_recipient=no" \
    "$service/smtpd_sender_login_maps=inline:{sam@sender.test=sam}" \
    "$service/smtpd_client_restrictions=permit_sasl_authenticated,reject" \
    "$service/smtpd_sender_restrictions=reject_sender_login_mismatch" \
    "$service/smtpd_recipient_restrictions=permit_sasl_authenticated,reject"

dovecot -c "$root/dovecot.conf" stop >/dev/null 2>&1 || true
postfix stop >/dev/null 2>&1 || true
sleep 1
dovecot -c "$root/dovecot.conf"
postfix start >&2

for port in $imap_port $submission_port; do
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
done

echo "export COLDFLOW_TEST_IMAP=127.0.0.1:$imap_port:sam:s3cret"
echo "export COLDFLOW_TEST_SUBMISSION=127.0.0.1:$submission_port:sam:s3cret:sam@sender.test:tina@sender.test"
