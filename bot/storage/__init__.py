"""Bookings storage shared by the action server and the web app (no Sanic, no Rasa imports)."""
