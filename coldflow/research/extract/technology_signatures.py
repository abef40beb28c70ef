r"""What each technology leaves in a page, as data.

`where` says which part of the page a pattern is matched against:
  script_src   – the src of <script> elements
  link_href    – the href of <link> elements (stylesheets, preconnects)
  generator    – the content of <meta name="generator">
  inline       – the text of inline scripts
  html         – the raw markup (attributes, class names, paths)

Patterns are matched against lower-cased text after being lower-cased themselves, so they must
not use upper-case escapes (\S, \W, \D, \B).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    category: str
    where: str
    pattern: str
    confidence: float = 0.9


SIGNATURES: tuple[Signature, ...] = (
    Signature(
        "Google Analytics",
        "analytics",
        "script_src",
        r"google-analytics\.com/(?:analytics|ga|urchin)\.js|googletagmanager\.com/gtag/js",
    ),
    Signature(
        "Google Analytics",
        "analytics",
        "inline",
        r"gtag\(\s*['\"]config['\"]\s*,\s*['\"](?:G|UA)-|GoogleAnalyticsObject|\bga\(\s*['\"]create['\"]",
    ),
    Signature("Google Tag Manager", "tag_manager", "script_src", r"googletagmanager\.com/gtm\.js"),
    Signature(
        "Google Tag Manager",
        "tag_manager",
        "inline",
        r"googletagmanager\.com/gtm\.js|['\"]GTM-[A-Z0-9]{4,}['\"]",
    ),
    Signature(
        "Google Tag Manager", "tag_manager", "html", r"googletagmanager\.com/ns\.html\?id=GTM-"
    ),
    Signature("Matomo", "analytics", "script_src", r"matomo\.js|piwik\.js|cdn\.matomo\.cloud"),
    Signature("Matomo", "analytics", "inline", r"_paq\.push|matomo\.js|piwik\.js"),
    Signature(
        "Plausible",
        "analytics",
        "script_src",
        r"plausible\.io/js/|/js/plausible\.|/js/script\.js.*plausible",
    ),
    Signature(
        "Plausible", "analytics", "html", r"data-domain=[^>]{1,200}plausible|plausible\.io/js"
    ),
    Signature("Hotjar", "analytics", "script_src", r"static\.hotjar\.com"),
    Signature("Hotjar", "analytics", "inline", r"_hjSettings|hjSiteSettings|static\.hotjar\.com"),
    Signature("Segment", "analytics", "script_src", r"cdn\.segment\.(?:com|io)/analytics\.js"),
    Signature(
        "Segment",
        "analytics",
        "inline",
        r"cdn\.segment\.(?:com|io)/analytics\.js|analytics\.load\(\s*['\"]\w+['\"]\s*\)",
    ),
    Signature(
        "HubSpot",
        "crm",
        "script_src",
        r"js(?:-[a-z0-9]+)?\.(?:hs-scripts|hsforms|hs-analytics|hs-banner|hubspot|usemessages)\.(?:com|net)",
    ),
    Signature(
        "HubSpot",
        "crm",
        "inline",
        r"\b_hsq\b|hbspt\.forms\.create|js(?:-[a-z0-9]+)?\.hs-scripts\.com",
    ),
    Signature(
        "Salesforce Pardot",
        "marketing_automation",
        "script_src",
        r"pi\.pardot\.com|pardot\.com/pd\.js",
    ),
    Signature(
        "Salesforce Pardot",
        "marketing_automation",
        "inline",
        r"\bpiAId\b|pi\.pardot\.com|pardot\.com/pd\.js",
    ),
    Signature(
        "Marketo",
        "marketing_automation",
        "script_src",
        r"munchkin\.marketo\.net|\.marketo\.com/js/forms2",
    ),
    Signature(
        "Marketo",
        "marketing_automation",
        "inline",
        r"Munchkin\.init|MktoForms2|munchkin\.marketo\.net",
    ),
    Signature("Intercom", "chat", "script_src", r"widget\.intercom\.io|js\.intercomcdn\.com"),
    Signature(
        "Intercom",
        "chat",
        "inline",
        r"intercomSettings|widget\.intercom\.io|Intercom\(\s*['\"]boot",
    ),
    Signature("Drift", "chat", "script_src", r"js\.driftt\.com|drift\.com/include"),
    Signature("Drift", "chat", "inline", r"js\.driftt\.com|drift\.load\("),
    Signature(
        "Zendesk",
        "chat",
        "script_src",
        r"static\.zdassets\.com|\.zendesk\.com/embeddable|v2\.zopim\.com",
    ),
    Signature("Zendesk", "chat", "inline", r"static\.zdassets\.com|\$zopim|zESettings"),
    Signature("Crisp", "chat", "script_src", r"client\.crisp\.chat"),
    Signature("Crisp", "chat", "inline", r"CRISP_WEBSITE_ID|client\.crisp\.chat"),
    Signature("Tawk.to", "chat", "script_src", r"embed\.tawk\.to"),
    Signature("Tawk.to", "chat", "inline", r"Tawk_API|embed\.tawk\.to"),
    Signature("Shopify", "ecommerce", "script_src", r"cdn\.shopify\.com|\.myshopify\.com"),
    Signature(
        "Shopify", "ecommerce", "inline", r"Shopify\.shop\s*=|Shopify\.theme|cdn\.shopify\.com"
    ),
    Signature("Shopify", "ecommerce", "html", r"cdn\.shopify\.com|shopify-section"),
    Signature(
        "WooCommerce",
        "ecommerce",
        "html",
        r"/wp-content/plugins/woocommerce/|woocommerce-(?:page|no-js|js)|wc-block-",
    ),
    Signature("WooCommerce", "ecommerce", "generator", r"^WooCommerce"),
    Signature(
        "Magento",
        "ecommerce",
        "html",
        r"/static/version\d+/frontend/|Magento_(?:Ui|Theme|Customer)|data-mage-init|mage/cookies",
    ),
    Signature("Magento", "ecommerce", "generator", r"^Magento"),
    Signature("WordPress", "cms", "generator", r"^WordPress"),
    Signature(
        "WordPress",
        "cms",
        "html",
        r"/wp-content/(?:themes|plugins|uploads)/|/wp-includes/|wp-json",
        0.85,
    ),
    Signature(
        "Elementor", "cms", "html", r"elementor-(?:widget|element|section|kit)|/plugins/elementor/"
    ),
    Signature("Wix", "cms", "generator", r"Wix\.com"),
    Signature("Wix", "cms", "html", r"static\.wixstatic\.com|static\.parastorage\.com"),
    Signature("Squarespace", "cms", "generator", r"Squarespace"),
    Signature(
        "Squarespace",
        "cms",
        "html",
        r"static1\.squarespace\.com|assets\.squarespace\.com|sqs-block",
    ),
    Signature("Webflow", "cms", "generator", r"^Webflow"),
    Signature(
        "Webflow", "cms", "html", r"data-wf-(?:page|site)=|assets\.website-files\.com|webflow\.js"
    ),
    Signature("TYPO3", "cms", "generator", r"TYPO3"),
    Signature("TYPO3", "cms", "html", r"/typo3conf/|/typo3temp/"),
    Signature("Drupal", "cms", "generator", r"^Drupal"),
    Signature("Joomla", "cms", "generator", r"^Joomla"),
    Signature("Ghost", "cms", "generator", r"^Ghost"),
    Signature("Jimdo", "cms", "html", r"jimdo(?:cdn)?\.com"),
    Signature("HubSpot CMS", "cms", "generator", r"^HubSpot"),
    Signature("Stripe", "payment", "script_src", r"js\.stripe\.com"),
    Signature("Stripe", "payment", "inline", r"\bStripe\(\s*['\"]pk_(?:live|test)_"),
    Signature("PayPal", "payment", "script_src", r"paypal\.com/sdk/js|paypalobjects\.com"),
    Signature("PayPal", "payment", "html", r"paypal\.com/cgi-bin/webscr|paypalobjects\.com", 0.8),
    Signature("Cloudflare", "cdn", "html", r"/cdn-cgi/|cloudflareinsights\.com|__cf_email__"),
    Signature("Cloudflare", "cdn", "script_src", r"static\.cloudflareinsights\.com|/cdn-cgi/"),
    Signature(
        "React",
        "framework",
        "html",
        r"data-reactroot|data-reactid|react(?:-dom)?(?:\.production)?\.min\.js",
    ),
    Signature(
        "React", "framework", "inline", r"React\.createElement|__REACT_DEVTOOLS_GLOBAL_HOOK__"
    ),
    Signature("Next.js", "framework", "html", r"/_next/static/|id=[\"']?__NEXT_DATA__"),
    Signature("Next.js", "framework", "generator", r"^Next\.js"),
    Signature(
        "Vue.js",
        "framework",
        "html",
        r"data-v-[0-9a-f]{8}\b|vue(?:\.runtime)?(?:\.global)?(?:\.prod)?(?:\.min)?\.js",
    ),
    Signature("Vue.js", "framework", "inline", r"new Vue\(|Vue\.createApp\(|__VUE__"),
    Signature("Nuxt", "framework", "html", r"/_nuxt/|window\.__NUXT__|data-n-head"),
    Signature("Nuxt", "framework", "generator", r"^Nuxt"),
    Signature(
        "jQuery", "javascript_library", "script_src", r"jquery(?:[.-]\d[\w.]*)?(?:\.min)?\.js", 0.8
    ),
    Signature(
        "Facebook Pixel",
        "advertising",
        "inline",
        r"connect\.facebook\.net/[\w_]+/fbevents\.js|fbq\(\s*['\"]init['\"]",
    ),
    Signature(
        "LinkedIn Insight Tag", "advertising", "inline", r"_linkedin_partner_id|snap\.licdn\.com"
    ),
    Signature("LinkedIn Insight Tag", "advertising", "script_src", r"snap\.licdn\.com"),
    Signature(
        "Mailchimp",
        "email_marketing",
        "html",
        r"list-manage\.com|chimpstatic\.com|mc\.us\d+\.list-manage",
    ),
    Signature("Calendly", "scheduling", "html", r"assets\.calendly\.com|calendly\.com/[\w-]+"),
    Signature("Typeform", "forms", "html", r"embed\.typeform\.com|\.typeform\.com/to/"),
    Signature("Cookiebot", "consent", "script_src", r"consent\.cookiebot\.com"),
    Signature("Usercentrics", "consent", "script_src", r"usercentrics\.eu|app\.usercentrics\.eu"),
    Signature("OneTrust", "consent", "script_src", r"cdn\.cookielaw\.org|optanon"),
)
