from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "inspiracle.pipeline"
    verbose_name = "Upload pipeline"
