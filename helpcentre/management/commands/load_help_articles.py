from django.core.management.base import BaseCommand

from helpcentre.starter import load_starter_articles


class Command(BaseCommand):
    help = "Create and publish the help centre's starter articles that are missing."

    def handle(self, *args, **options):
        created = load_starter_articles()
        self.stdout.write(f"Help centre: {created} starter articles created.")
