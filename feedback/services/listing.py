"""One page of a long list: search, a branch filter and page numbers, for set-up tables.

The set-up pages list up to thousands of records (100 branches, 400 desks,
1,000 staff); each shows one page of at most ``PER_PAGE`` rows that match
what was typed, so a page costs the same at 12 staff and at 1,000.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["PER_PAGE", "ListPage", "list_page"]

PER_PAGE = 50
T = TypeVar("T")


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """The rows of page ``number`` (1-based) of ``pages``, out of ``total`` matching rows."""

    items: list[T]
    number: int
    pages: int
    total: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def list_page(items: Iterable[T], *, text_of: Callable[[T], str], search: str = "",
              branch_of: Callable[[T], Iterable[str]] | None = None, branch: str = "",
              page: int = 1, per_page: int = PER_PAGE) -> ListPage[T]:
    """The page of ``items`` whose text contains every word of ``search`` and that belong to ``branch``.

    Matching ignores case; a page number past the end shows the last page.
    """
    words = search.casefold().split()
    matching = [item for item in items
                if all(w in text_of(item).casefold() for w in words)
                and (not branch or branch_of is None or branch in branch_of(item))]
    pages = max(1, -(-len(matching) // per_page))
    number = min(max(1, page), pages)
    start = (number - 1) * per_page
    return ListPage(matching[start:start + per_page], number, pages, len(matching))
