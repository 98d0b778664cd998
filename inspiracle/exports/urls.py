from django.urls import path

from inspiracle.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("new/", views.export_new, name="new"),
    path("<int:export_id>/download/<str:token>/", views.export_file, name="download"),
]
