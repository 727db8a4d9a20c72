"""factsheet: who said what, and when, from news articles to a published fact sheet."""
