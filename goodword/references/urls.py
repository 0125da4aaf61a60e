app_name = "references"
urlpatterns = []
