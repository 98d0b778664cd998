from django.urls import path

from inspiracle.disclosure import views

app_name = "disclosure"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.record, name="record"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:reference>/export/", views.download, name="download"),
    path("<str:reference>/export/requeue/", views.requeue, name="requeue"),
    path("<str:reference>/document/", views.document, name="document"),
]
