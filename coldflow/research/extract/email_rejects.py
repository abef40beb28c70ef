"""Addresses that look like email but are not a way to reach a company: asset file names,
documentation placeholders, and the tracking or infrastructure addresses of vendors."""

from __future__ import annotations

import re

from coldflow.research.extract.vocabulary import words

# "logo@2x.png", "icon@3x.webp", "sprite@1.5x.svg"
ASSET_NAME = re.compile(
    r"@\d+(?:\.\d+)?x\b|\.(?:png|jpe?g|gif|svg|webp|avif|bmp|ico|tiff?|heic|css|js|mjs|map|json|"
    r"xml|pdf|mp3|mp4|webm|mov|woff2?|ttf|eot|otf)$",
    re.I,
)

# Registrable names (the label before the public suffix) used for examples in any TLD.
PLACEHOLDER_DOMAIN_NAMES = words(
    "example examples beispiel beispiel-firma domain yourdomain your-domain yourcompany "
    "your-company yourbusiness yoursite yourwebsite ihredomain ihre-domain ihrefirma ihre-firma "
    "musterfirma mustermann muster-firma mustermail placeholder sample"
)
PLACEHOLDER_DOMAINS = words(
    "email.com company.com website.com site.com mysite.com mycompany.com test.com "
    "address.com emailaddress.com firma.de xyz.com abc.com"
)
PLACEHOLDER_LOCAL_PARTS = words(
    "name yourname your.name your-name you your youremail your.email your-email email e-mail "
    "user username firstname lastname firstname.lastname first.last first_last vorname "
    "nachname vorname.nachname max.mustermann erika.mustermann mustermann john.doe jane.doe "
    "johndoe janedoe test someone somebody ihre.email ihrname ihr.name"
)

# Error trackers, site builders and mail service providers: their addresses show up in page
# source (DSNs, bounce addresses) but belong to no one we want to write to.
TRACKING_DOMAINS = words(
    "sentry.io sentry-next.wixpress.com wixpress.com sentry.wixpress.com getsentry.com "
    "sentry-cdn.com bugsnag.com mailchimp.com list-manage.com mcsv.net sendgrid.net "
    "sendgrid.com mandrillapp.com amazonses.com mailgun.org mailgun.net sparkpostmail.com "
    "mktomail.com hubspotemail.net hubspot.com intercom-mail.com intercom.io zendesk.com "
    "wix.com squarespace.com shopify.com wordpress.com wordpress.org w3.org schema.org "
    "googlegroups.com google.com doubleclick.net cloudflare.com"
)
NO_REPLY_LOCAL_PART = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply[-_.+].*|mailer[-_.]?daemon|bounces?([-_.+].*)?|"
    r"postmaster|abuse|git)$",
    re.I,
)
# Hashes and ids: error-tracker keys, generated bounce addresses.
MACHINE_LOCAL_PART = re.compile(r"^[0-9a-f]{16,}$|^[0-9a-f-]{32,}$|^\d{6,}$", re.I)
