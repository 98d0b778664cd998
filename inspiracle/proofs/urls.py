from django.urls import path

from inspiracle.proofs import views

app_name = "proofs"
urlpatterns = [
    path("keys/", views.public_keys, name="keys"),
    path("works/<int:work_id>/", views.certificates, name="certificates"),
    path(
        "works/<int:work_id>/files/<int:file_id>.json", views.certificate_download, {"kind": "json"}, "json"
    ),
    path("works/<int:work_id>/files/<int:file_id>.pdf", views.certificate_download, {"kind": "pdf"}, "pdf"),
]
