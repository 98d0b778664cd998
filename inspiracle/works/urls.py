from django.urls import path

from inspiracle.works import views

app_name = "works"
urlpatterns = [
    path("new/", views.work_new, name="new"),
    path("mine/", views.works_mine, name="mine"),
    path("<int:work_id>/", views.work_detail, name="detail"),
    path("<int:work_id>/edit/", views.work_edit, name="edit"),
    path("<int:work_id>/resubmit/", views.work_resubmit, name="resubmit"),
    path("<int:work_id>/unpublish/", views.work_unpublish, name="unpublish"),
    path("<int:work_id>/republish/", views.work_republish, name="republish"),
    path("<int:work_id>/delete/", views.work_delete, name="delete"),
    path("<int:work_id>/files/<int:file_id>/<str:kind>", views.work_file, name="file"),
    path("public/<int:file_id>/<slug:digest>/<str:kind>.webp", views.public_file, name="public-file"),
]
