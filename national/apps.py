from django.apps import AppConfig


class NationalConfig(AppConfig):
    """The generated national dataset (issue 9, point 5): a synthetic country for load tests and benchmarks."""

    name = "national"
    verbose_name = "National dataset"
