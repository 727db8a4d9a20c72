"""Extraction on a Dask cluster (``factsheet extract --dask ADDRESS`` or ``--dask local``).

The workers only extract: each gets an article (its text travels with the task, so the
workers need factsheet installed, not the content folder) and returns its statements; this
process folds them into the fact files, one file per article, exactly as a plain run does.
An article a worker fails on comes back as an error with its article; the others are kept.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Iterator

from generator.model import Article, Attribution


@functools.lru_cache(maxsize=2)
def _worker_nlp(mode: str):
    """The language pipeline, loaded once per worker process and kept for its next articles."""
    from generator import extract

    return extract.load_nlp(mode)


def extract_on_worker(article: Article, mode: str) -> list[Attribution]:
    """One article's statements, on a Dask worker (the function the tasks run)."""
    from generator import extract

    return extract.extract(article, _worker_nlp(mode))


def client_for(address: str, workers: int = 0):
    """A Dask client: a ``LocalCluster`` of ``workers`` processes (0: one per core) for
    ``"local"``, otherwise the scheduler at ``address`` (``tcp://host:8786``)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise OSError("--dask needs Dask: pip install 'factsheet[dask]'") from None
    if address == "local":
        # Dask's own INFO lines (scheduler, nannies, closing workers) would bury factsheet's output.
        cluster = LocalCluster(n_workers=workers or None, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster)
    return Client(address, timeout="20s")


def extract_many(articles: list[Article], address: str, mode: str = "spacy",
                 workers: int = 0) -> Iterator[tuple[Article, list[Attribution] | BaseException]]:
    """``(article, statements)`` as each article completes on the cluster, or ``(article, error)``
    for an article its worker failed on."""
    from distributed import as_completed

    with client_for(address, workers) as client:
        futures = {client.submit(extract_on_worker, article, mode, key=f"factsheet-{i}-{article.id}",
                                 pure=False): article for i, article in enumerate(articles)}
        for future in as_completed(futures):
            article = futures.pop(future)  # released as it is folded in, not held to the end
            if future.status == "error":
                yield article, future.exception()
            else:
                yield article, future.result()
        if address == "local":
            client.cluster.close()
