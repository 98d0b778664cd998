from django.urls import path

from inspiracle.accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/declined/", views.register_declined, name="register-declined"),
    path("signin/", views.signin, name="signin"),
    path("signin/code/", views.signin_totp, name="signin-totp"),
    path("signout/", views.signout, name="signout"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path(
        "password-reset/<uidb64>/<token>/", views.password_reset_confirm_view, name="password-reset-confirm"
    ),
    path("email/confirm/<str:token>/", views.email_confirm, name="email-confirm"),
    path("me/", views.me, name="me"),
    path("me/registration/", views.registration, name="registration"),
    path("me/certificate/", views.certificate, name="certificate"),
    path("me/profile/", views.profile_edit, name="profile-edit"),
    path("me/avatar/", views.avatar, name="avatar"),
    path("me/password/", views.password_change, name="password-change"),
    path("me/sessions/", views.sessions, name="sessions"),
    path("me/sessions/<str:ref>/revoke/", views.session_revoke, name="session-revoke"),
    path("me/two-factor/", views.totp, name="totp"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("me/consents/", views.consents, name="consents"),
]
