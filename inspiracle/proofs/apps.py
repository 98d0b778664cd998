from django.apps import AppConfig


class ProofsConfig(AppConfig):
    name = "inspiracle.proofs"
    label = "proofs"
