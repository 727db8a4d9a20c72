"""The trained models of the extractor (package data; rebuilt by ``python -m generator.extract.train``)."""
