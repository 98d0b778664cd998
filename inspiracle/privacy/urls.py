from django.urls import path

from inspiracle.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.rights, name="rights"),
    path("cancel/", views.cancel, name="cancel"),
    path("cancel/restore/", views.restore, name="restore"),
]
