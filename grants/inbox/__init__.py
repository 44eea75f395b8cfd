"""The inbox wing of the grants app (same app label ``grants``): what waits for each person,
from the one definition of each waiting rule (the queries the pages and reminders use), and
who took over which piece of staff work. Other apps add their kinds (the review app: reviews
missing, reviews to write) with ``grants.inbox.registry.register``."""
