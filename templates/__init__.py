"""Default Jinja2 templates (this folder is shipped as the package generator.templates)."""
