"""JSON Schemas of the record files, shipped for editors' tooling."""
