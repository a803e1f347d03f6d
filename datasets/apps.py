from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    """Loading data across the apps, above them all: the transcribed seed documents (``seed.py``,
    ``load_seed_documents``) and the recomputation of stored scores and statuses (``refresh_scores``). No models."""

    name = "datasets"
