from django.urls import path

from inspiracle.reports.views import counter, intake, transparency

app_name = "reports"
urlpatterns = [
    path("", intake.mine, name="mine"),
    path("new/", intake.new, name="new"),
    path("email/", intake.email_proof, name="email"),
    path("transparency/", transparency.page, name="transparency"),
    path("profiles/", intake.profiles, name="profiles"),
    path("notices/<int:item_id>/", counter.counter, name="counter"),
    path("<str:reference>/", intake.detail, name="detail"),
]
