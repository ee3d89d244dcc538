from django.urls import path

from helpcentre import views

app_name = "helpcentre"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_results, name="search"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("contact/", views.contact, name="contact"),
    path("priorities/", views.priorities, name="priorities"),
    path("sections/<slug:slug>/", views.section, name="section"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("articles/<slug:slug>/feedback/", views.feedback, name="feedback"),
]
