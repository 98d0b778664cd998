from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "inspiracle.moderation"
    verbose_name = "Moderation"

    def ready(self):
        from inspiracle.notifications.messages import register_reason_labels
        from inspiracle.reasons import BY_CODE, reason_label

        # Notices name the catalogue's reason in the reader's language (MOD-2, UX-4).
        register_reason_labels(lambda code: reason_label(code) if code in BY_CODE else None)
