from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.utils import timezone

from inspiracle.core.http import current_origin


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from inspiracle.accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        from inspiracle.accounts.models import UserSession

        obj = super().create_model_instance(data)
        assert isinstance(obj, UserSession)  # the model of get_model_class
        user_id = data.get("_auth_user_id")
        obj.user_id = int(user_id) if user_id else None
        obj.ref = obj.ref_for(obj.session_key)
        origin = current_origin.get()
        obj.ip, obj.user_agent = origin.ip, origin.user_agent
        obj.last_seen_at = timezone.now()
        existing = UserSession.objects.filter(pk=obj.session_key).values_list("created_at", flat=True).first()
        obj.created_at = existing or obj.last_seen_at
        return obj
