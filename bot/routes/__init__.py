"""One blueprint per surface of the web app."""
