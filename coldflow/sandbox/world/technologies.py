"""Technology fingerprints: the script and meta tags that common CMSs, analytics, CRMs, shops,
payment providers, chat widgets and consent managers leave in a page."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Technology:
    name: str
    category: str
    head: str = ""
    body: str = ""

    def render(self, where: str, tracking_id: str, domain: str, slug: str) -> str:
        snippet = self.head if where == "head" else self.body
        return (
            snippet.replace("%ID%", tracking_id).replace("%DOMAIN%", domain).replace("%SLUG%", slug)
        )


TECHNOLOGIES: tuple[Technology, ...] = (
    Technology(
        "WordPress",
        "cms",
        head='<meta name="generator" content="WordPress 6.5.2">\n'
        '<link rel="stylesheet" href="/wp-content/themes/astra/style.css?ver=4.6.1">',
    ),
    Technology("TYPO3", "cms", head='<meta name="generator" content="TYPO3 CMS">'),
    Technology(
        "Wix",
        "cms",
        head='<meta name="generator" content="Wix.com Website Builder">\n'
        '<link rel="preconnect" href="https://static.parastorage.com">',
    ),
    Technology(
        "Squarespace",
        "cms",
        head="<!-- This is Squarespace. --><!-- %SLUG% -->\n"
        '<link rel="stylesheet" href="https://static1.squarespace.com/static/versioned-site-css/'
        '%ID%/site.css">',
    ),
    Technology(
        "Webflow",
        "cms",
        head='<meta content="Webflow" name="generator">\n'
        '<link href="https://assets-global.website-files.com/%ID%/css/%SLUG%.webflow.css" '
        'rel="stylesheet">',
    ),
    Technology(
        "Google Analytics",
        "analytics",
        head='<script async src="https://www.googletagmanager.com/gtag/js?id=G-%ID%"></script>\n'
        "<script>window.dataLayer = window.dataLayer || [];function gtag(){dataLayer.push("
        "arguments);}gtag('js', new Date());gtag('config', 'G-%ID%');</script>",
    ),
    Technology(
        "Google Tag Manager",
        "tag_manager",
        head="<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date()."
        "getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),"
        "dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src='https://www.googletagmanager.com/"
        "gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);})(window,document,'script',"
        "'dataLayer','GTM-%ID%');</script>",
    ),
    Technology(
        "Matomo",
        "analytics",
        body="<script>var _paq = window._paq = window._paq || [];_paq.push(['trackPageView']);"
        "(function(){var u='https://analytics.%DOMAIN%/';_paq.push(['setTrackerUrl', "
        "u+'matomo.php']);_paq.push(['setSiteId', '3']);var d=document, g=d.createElement("
        "'script');g.async=true; g.src=u+'matomo.js';d.head.appendChild(g);})();</script>",
    ),
    Technology(
        "Plausible",
        "analytics",
        head='<script defer data-domain="%DOMAIN%" src="https://plausible.io/js/script.js">'
        "</script>",
    ),
    Technology(
        "Hotjar",
        "analytics",
        head="<script>(function(h,o,t,j,a,r){h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push("
        "arguments)};h._hjSettings={hjid:%ID%,hjsv:6};a=o.getElementsByTagName('head')[0];"
        "r=o.createElement('script');r.async=1;r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;"
        "a.appendChild(r);})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');"
        "</script>",
    ),
    Technology(
        "Facebook Pixel",
        "advertising",
        head="<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){};t=b."
        "createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode."
        "insertBefore(t,s)}(window,document,'script','https://connect.facebook.net/en_US/"
        "fbevents.js');fbq('init', '%ID%');fbq('track', 'PageView');</script>",
    ),
    Technology(
        "LinkedIn Insight Tag",
        "advertising",
        body='<script type="text/javascript">_linkedin_partner_id = "%ID%";</script>\n'
        '<script async src="https://snap.licdn.com/li.lms-analytics/insight.min.js"></script>',
    ),
    Technology(
        "HubSpot",
        "crm",
        body='<script type="text/javascript" id="hs-script-loader" async defer '
        'src="//js.hs-scripts.com/%ID%.js"></script>',
    ),
    Technology(
        "Salesforce Pardot",
        "crm",
        body="<script type=\"text/javascript\">piAId = '%ID%'; piCId = '1234'; piHostname = "
        "'pi.pardot.com';(function() {var s = document.createElement('script'); s.src = "
        "'https://pi.pardot.com/pd.js'; document.body.appendChild(s);})();</script>",
    ),
    Technology(
        "Pipedrive",
        "crm",
        body="<script>window.pipedriveLeadboosterConfig = {base: 'leadbooster-chat.pipedrive.com',"
        "companyId: %ID%,playbookUuid: '%SLUG%',version: 2};</script>\n"
        '<script src="https://leadbooster-chat.pipedrive.com/assets/loader.js" async></script>',
    ),
    Technology(
        "Intercom",
        "chat",
        body='<script>window.intercomSettings = {api_base: "https://api-iam.intercom.io", '
        'app_id: "%SLUG%"};</script>\n'
        '<script async src="https://widget.intercom.io/widget/%SLUG%"></script>',
    ),
    Technology(
        "Drift",
        "chat",
        body='<script async src="https://js.driftt.com/include/%ID%/%SLUG%.js"></script>',
    ),
    Technology(
        "Zendesk",
        "chat",
        body='<script id="ze-snippet" src="https://static.zdassets.com/ekr/snippet.js?'
        'key=%SLUG%-%ID%"></script>',
    ),
    Technology(
        "Tawk.to",
        "chat",
        body="<script>var Tawk_API=Tawk_API||{};(function(){var s1=document.createElement("
        "'script');s1.async=true;s1.src='https://embed.tawk.to/%ID%/default';document.body."
        "appendChild(s1);})();</script>",
    ),
    Technology(
        "Crisp",
        "chat",
        body='<script>window.$crisp=[];window.CRISP_WEBSITE_ID="%SLUG%-%ID%";</script>\n'
        '<script src="https://client.crisp.chat/l.js" async></script>',
    ),
    Technology(
        "Shopify",
        "ecommerce",
        head='<meta name="shopify-checkout-api-token" content="%ID%%SLUG%">\n'
        '<link rel="stylesheet" href="https://cdn.shopify.com/s/files/1/%ID%/t/3/assets/'
        'theme.css">\n<script>var Shopify = Shopify || {};Shopify.shop = "%SLUG%.myshopify.com";'
        "</script>",
    ),
    Technology(
        "WooCommerce",
        "ecommerce",
        body='<script src="/wp-content/plugins/woocommerce/assets/js/frontend/'
        'woocommerce.min.js?ver=8.7.0"></script>',
    ),
    Technology(
        "Magento",
        "ecommerce",
        head='<script type="text/x-magento-init">{"*": {"mage/cookies": {"domain": '
        '".%DOMAIN%"}}}</script>\n'
        '<script src="/static/version%ID%/frontend/Magento/luma/en_US/requirejs/require.js">'
        "</script>",
    ),
    Technology("Stripe", "payment", head='<script src="https://js.stripe.com/v3/"></script>'),
    Technology(
        "PayPal",
        "payment",
        body='<script src="https://www.paypal.com/sdk/js?client-id=%SLUG%%ID%&currency=EUR">'
        "</script>",
    ),
    Technology(
        "Cookiebot",
        "consent",
        head='<script id="Cookiebot" src="https://consent.cookiebot.com/uc.js" '
        'data-cbid="%ID%-%SLUG%" type="text/javascript" async></script>',
    ),
    Technology(
        "Usercentrics",
        "consent",
        head='<script id="usercentrics-cmp" src="https://app.usercentrics.eu/browser-ui/latest/'
        'loader.js" data-settings-id="%SLUG%" async></script>',
    ),
    Technology(
        "Mailchimp",
        "email_marketing",
        body='<script id="mcjs">!function(c,h,i,m,p){m=c.createElement(h),p=c.'
        "getElementsByTagName(h)[0],m.async=1,m.src=i,p.parentNode.insertBefore(m,p)}(document,"
        '"script","https://chimpstatic.com/mcjs-connected/js/users/%ID%/%SLUG%.js");</script>',
    ),
    Technology(
        "Cloudflare",
        "cdn",
        body='<script data-cfasync="false" src="/cdn-cgi/scripts/5c5dd728/cloudflare-static/'
        'email-decode.min.js"></script>',
    ),
    Technology(
        "Calendly",
        "scheduling",
        body='<script src="https://assets.calendly.com/assets/external/widget.js" async></script>',
    ),
)
BY_NAME: dict[str, Technology] = {t.name: t for t in TECHNOLOGIES}


def pick_technologies(rng: random.Random, language: str, shop: bool) -> tuple[str, ...]:
    """A plausible stack: maybe a CMS, analytics, maybe a CRM and a chat widget, consent in the EU,
    a shop system and payment for online shops."""
    chosen: list[str] = []
    cms = rng.choice(
        (
            "WordPress",
            "WordPress",
            "TYPO3" if language == "de" else "Wix",
            "Webflow",
            "Squarespace",
            None,
            None,
        )
    )
    if cms:
        chosen.append(cms)
    chosen.append(rng.choice(("Google Analytics", "Google Tag Manager", "Matomo", "Plausible")))
    if rng.random() < 0.3:
        chosen.append(rng.choice(("Hotjar", "Facebook Pixel", "LinkedIn Insight Tag")))
    if rng.random() < 0.5:
        chosen.append(rng.choice(("HubSpot", "Salesforce Pardot", "Pipedrive")))
    if rng.random() < 0.35:
        chosen.append(rng.choice(("Intercom", "Drift", "Zendesk", "Tawk.to", "Crisp")))
    if language == "de" and rng.random() < 0.7:
        chosen.append(rng.choice(("Cookiebot", "Usercentrics")))
    if shop:
        chosen.append("WooCommerce" if cms == "WordPress" else rng.choice(("Shopify", "Magento")))
        chosen.append(rng.choice(("Stripe", "PayPal")))
    elif rng.random() < 0.1:
        chosen.append("Stripe")
    if rng.random() < 0.15:
        chosen.append("Mailchimp")
    if rng.random() < 0.1:
        chosen.append("Calendly")
    return tuple(chosen)
