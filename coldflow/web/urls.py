from django.contrib.auth import views as auth_views
from django.urls import path

from coldflow.api.app import api
from coldflow.web import unsubscribe, views

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("unsubscribe/<str:token>", unsubscribe.unsubscribe, name="unsubscribe"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", api.urls),
]
