"""Projects: the groups of documents a scholar works on, with their counts.

A project's name is what the scholar sees in every list, so it is stored as
typed but tidied (NFC, trimmed, runs of spaces made one) and must be unique
whatever its case: "Report 1986" and "report 1986" would be indistinguishable
in a select box. The database enforces uniqueness of the exact name too (an
index on ``projects.name``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from annotations.demo import DEMO_PROJECT, SCAN_PROJECT
from annotations.store import Store, utcnow
from sources.errors import InvalidInput, NotFound

MAX_NAME_CHARS = 200
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
# Most recent first: the later of the project's creation and its latest import.
RECENT_SQL = """
select p.id from projects p where p.name not in (?, ?)
order by max(coalesce(p.created_at, ''),
             coalesce((select max(d.imported_at) from documents d where d.project_id = p.id), ''))
         desc, p.id desc
"""
SQLITE_MAX_INT = 2**63 - 1


@dataclass(frozen=True)
class Project:
    id: int
    name: str
    created_at: str | None = None

    @property
    def is_demo(self) -> bool:
        return self.name in (DEMO_PROJECT, SCAN_PROJECT)


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


def list_projects(store: Store) -> list[Project]:
    """Every project, in the order they were created."""
    rows = store.db.execute("select id, name, created_at from projects order by id").fetchall()
    return [Project(*row) for row in rows]


def get_project(store: Store, project_id: int) -> Project:
    """One project; :class:`NotFound` when there is no such project (any more)."""
    row = None
    if 0 < project_id <= SQLITE_MAX_INT:
        row = store.db.execute("select id, name, created_at from projects where id = ?",
                               [project_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no project {project_id} (any more).")
    return Project(*row)


def create_project(store: Store, name: str) -> int:
    """Create a project called ``name`` (tidied, see the module); return its id.

    Raises :class:`InvalidInput` for a blank or over-long name, or one already
    taken by another project (in any case).
    """
    name = clean_project_name(name)
    with store.transaction() as db:  # the write lock is held from the check to the insert
        _refuse_taken(store, name)
        return db["projects"].insert({"name": name, "created_at": utcnow()}).last_pk


def rename_project(store: Store, project_id: int, name: str) -> None:
    """Give a project a new name; the same rules as :func:`create_project`."""
    name = clean_project_name(name)
    with store.transaction() as db:
        get_project(store, project_id)
        _refuse_taken(store, name, project_id)
        db["projects"].update(project_id, {"name": name})


def delete_project(store: Store, project_id: int) -> None:
    """Delete an empty project; one that holds documents is refused, nothing deleted."""
    with store.transaction() as db:
        project = get_project(store, project_id)
        count = db.execute("select count(*) from documents where project_id = ?",
                           [project_id]).fetchone()[0]
        if count:
            raise InvalidInput(
                f"“{project.name}” still holds {count} document{'s' if count > 1 else ''}; "
                "only an empty project can be deleted.")
        db["projects"].delete(project_id)


def default_project_id(store: Store) -> int | None:
    """The project to open when nobody chose one: the most recently created or
    imported-into project that is not a demo, else the first (the main demo);
    ``None`` when none exists."""
    row = store.db.execute(RECENT_SQL, [DEMO_PROJECT, SCAN_PROJECT]).fetchone()
    if row is None:
        row = store.db.execute("select min(id) from projects").fetchone()
    return row[0]


def project_of_document(store: Store, document_id: int) -> int | None:
    """The project holding a document, or ``None`` when there is no such document."""
    if not 0 < document_id <= SQLITE_MAX_INT:
        return None
    row = store.db.execute("select project_id from documents where id = ?",
                           [document_id]).fetchone()
    return row[0] if row else None


def clean_project_name(name: str) -> str:
    """A project name as stored: NFC, trimmed, spaces collapsed; refused when unusable.

    >>> clean_project_name("  Rapport   1986\\n")
    'Rapport 1986'
    """
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(name))).strip()
    if not name:
        raise InvalidInput("A project needs a name; please type one.")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(f"A project name can be at most {MAX_NAME_CHARS} characters long "
                           f"(this one has {len(name)}).")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in name):
        raise InvalidInput("The project name contains control characters or broken Unicode "
                           "that cannot be stored; please retype it.")
    return name


def _refuse_taken(store: Store, name: str, project_id: int | None = None) -> None:
    for other in list_projects(store):
        if other.id != project_id and other.name.casefold() == name.casefold():
            raise InvalidInput(f"There is already a project called “{other.name}”; "
                               "choose another name.")
