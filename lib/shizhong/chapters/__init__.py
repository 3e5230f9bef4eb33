"""What each chapter computes and draws, so its notebook reads as prose plus a few calls.

One module per chapter notebook (``shizhong.chapters.projects`` for ``projects.ipynb``):
the chapter's glued values, chart and table builders, tested in ``tests/``. Rules that
more than one chapter uses live in the modules named for them (:mod:`shizhong.rounding`,
:mod:`shizhong.derive`, :mod:`shizhong.units`).
"""
