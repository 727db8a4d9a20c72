"""Lexicons: tables of words and patterns the extractor and ingester use."""
