"""Projects: the groups of documents a scholar works on, with their counts."""

from __future__ import annotations

from dataclasses import dataclass

from annotations.store import Store

OVERVIEW_SQL = """
select p.id, p.name,
  (select count(*) from documents d where d.project_id = p.id) as documents,
  (select count(*) from pages g join documents d on d.id = g.document_id
     where d.project_id = p.id) as pages,
  (select count(*) from annotations a join documents d on d.id = a.document_id
     where d.project_id = p.id and a.deleted_at is null) as annotations,
  (select count(*) from annotations a join documents d on d.id = a.document_id
     where d.project_id = p.id and a.deleted_at is null and a.anchor_status = 'review') as review
from projects p order by p.id
"""


@dataclass(frozen=True)
class ProjectOverview:
    id: int
    name: str
    documents: int
    pages: int
    annotations: int
    review: int


def project_overview(store: Store) -> list[ProjectOverview]:
    """Every project with its counts of documents, pages, annotations and review items."""
    return [ProjectOverview(*row) for row in store.db.execute(OVERVIEW_SQL).fetchall()]
