"""Stage 3, the records editors own: the field table, reading and writing fact files."""
