from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "inspiracle.shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from inspiracle.notifications.messages import register_messages
        from inspiracle.payments.events import register_handler
        from inspiracle.shop.notices import MESSAGES
        from inspiracle.shop.services.orders import on_payment_event

        register_handler(on_payment_event)
        register_messages(MESSAGES)
