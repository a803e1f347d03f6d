from .views import checklists, items, readiness, results

app_name = "oit"
urlpatterns = [*items.urlpatterns, *checklists.urlpatterns, *readiness.urlpatterns, *results.urlpatterns]
