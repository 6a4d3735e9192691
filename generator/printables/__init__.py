"""Printable checklists, forms and flow sheets: A4 PDFs from the policy model.

    model → documents (typed contexts) → render (Jinja HTML + print CSS)
          → WeasyPrint PDF (in worker processes) → a staged folder swapped in atomically

Output layout: ``checklists/<id>.pdf``, ``forms/<id>.pdf``, ``flows/<id>.pdf``.
"""

from generator.printables.build import build_printables, plan, write_printables

__all__ = ["build_printables", "plan", "write_printables"]
