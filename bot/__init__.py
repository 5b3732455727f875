"""Trygg chatt web app and shared content code (language, catalogs, facts, places)."""
