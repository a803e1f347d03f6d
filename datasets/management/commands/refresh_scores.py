from django.core.management.base import BaseCommand

from assessments.services import scores_refresh
from measures.models import Measure
from measures.services import measure_statuses_refresh


class Command(BaseCommand):
    help = ("Recompute every stored value derived from the data: computed and effective scores, levels, changes, "
            "ranks and summaries of every fiscal year, and each measure's latest status and due date. The portal "
            "keeps them current itself; run this after loading data outside the portal's services (SQL, fixtures) "
            "or after changing data/frameworks.yaml.")

    def handle(self, *args, **options):
        count = scores_refresh()
        measure_statuses_refresh(measures=Measure.all_objects.all())
        self.stdout.write(f"{count} assessments and {Measure.all_objects.count()} measures refreshed.")
