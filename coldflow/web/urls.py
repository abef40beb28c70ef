from django.contrib.auth import views as auth_views
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import path, re_path

from coldflow.api.app import api
from coldflow.web import unsubscribe, views
from coldflow.web.pages import (
    analytics,
    campaigns,
    inbox,
    leads,
    mailboxes,
    review,
    settings,
    suppressions,
    workspaces,
)
from coldflow.web.security import ThrottledLoginView


def static_file(request, path):
    """The dashboard's own CSS and JavaScript (also without DEBUG: one process, no CDN)."""
    return serve_static(request, path, insecure=True)


urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("unsubscribe/<str:token>", unsubscribe.unsubscribe, name="unsubscribe"),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    re_path(r"^static/(?P<path>coldflow/[\w./-]+)$", static_file, name="static-file"),
    path("w/<slug:workspace>/", workspaces.switch, name="workspace-switch"),
    # campaigns
    path("campaigns/", campaigns.campaigns, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", campaigns.campaign, name="campaign"),
    path("campaigns/<int:pk>/progress", campaigns.campaign_progress, name="campaign-progress"),
    path("campaigns/<int:pk>/run", campaigns.campaign_run, name="campaign-run"),
    path("campaigns/<int:pk>/mailboxes", campaigns.campaign_mailboxes, name="campaign-mailboxes"),
    path("campaigns/<int:pk>/pause", campaigns.campaign_pause, name="campaign-pause"),
    path("campaigns/<int:pk>/resume", campaigns.campaign_resume, name="campaign-resume"),
    # leads
    path("leads/", leads.leads, name="leads"),
    path("leads/export.csv", leads.leads_export, name="leads-export"),
    path("leads/bulk", leads.leads_bulk, name="leads-bulk"),
    path("leads/<int:pk>/", leads.lead, name="lead"),
    # review, inbox
    path("review/", review.review, name="review"),
    path("review/bulk", review.review_bulk, name="review-bulk"),
    path("review/<int:pk>/edit", review.review_edit, name="review-edit"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/action", inbox.inbox_action, name="inbox-action"),
    # mailboxes, suppressions
    path("mailboxes/", mailboxes.mailboxes, name="mailboxes"),
    path("mailboxes/new/", mailboxes.mailbox_new, name="mailbox-new"),
    path("mailboxes/<int:pk>/", mailboxes.mailbox, name="mailbox"),
    path("mailboxes/<int:pk>/edit", mailboxes.mailbox_edit, name="mailbox-edit"),
    path("mailboxes/<int:pk>/check", mailboxes.mailbox_check, name="mailbox-check"),
    path("mailboxes/<int:pk>/remove", mailboxes.mailbox_remove, name="mailbox-remove"),
    path("mailboxes/<int:pk>/pause", mailboxes.mailbox_pause, name="mailbox-pause"),
    path("mailboxes/<int:pk>/resume", mailboxes.mailbox_resume, name="mailbox-resume"),
    path("suppressions/", suppressions.suppressions, name="suppressions"),
    path("suppressions/add", suppressions.suppression_add, name="suppression-add"),
    path("suppressions/import", suppressions.suppression_import, name="suppression-import"),
    path("suppressions/export.csv", suppressions.suppressions_export, name="suppressions-export"),
    path(
        "suppressions/<int:pk>/delete", suppressions.suppression_delete, name="suppression-delete"
    ),
    # analytics, settings, audit
    path("analytics/", analytics.analytics, name="analytics"),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/keys", settings.api_key_create, name="settings-key-create"),
    path("settings/keys/<int:pk>/revoke", settings.api_key_revoke, name="settings-key-revoke"),
    path("settings/webhooks/<int:pk>/", settings.webhook_deliveries, name="settings-webhook"),
    path("settings/webhooks/add", settings.webhook_create, name="settings-webhook-create"),
    path("settings/webhooks/<int:pk>/test", settings.webhook_test, name="settings-webhook-test"),
    path(
        "settings/webhooks/<int:pk>/disable",
        settings.webhook_disable,
        name="settings-webhook-disable",
    ),
    path(
        "settings/webhooks/<int:pk>/enable", settings.webhook_enable, name="settings-webhook-enable"
    ),
    path(
        "settings/webhooks/<int:pk>/rotate", settings.webhook_rotate, name="settings-webhook-rotate"
    ),
    path(
        "settings/webhooks/<int:pk>/delete", settings.webhook_delete, name="settings-webhook-delete"
    ),
    path("settings/members/add", settings.member_add, name="settings-member-add"),
    path("settings/members/<int:pk>/role", settings.member_role, name="settings-member-role"),
    path("settings/members/<int:pk>/remove", settings.member_remove, name="settings-member-remove"),
    path("audit/", settings.audit_log, name="audit"),
    path("api/", api.urls),
]
