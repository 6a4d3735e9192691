"""Pages named before they are rendered, for ``policybook serve``.

A kind's page maker yields ``site.step(step)`` and the like. While the site builder is
``deferring``, a function marked :func:`deferrable` returns a :class:`Pending` page —
the function and its arguments — instead of rendering; ``serve`` then renders first
the pending pages an edit is likely to change (:mod:`generator.site.incremental`) and
the others afterwards. Otherwise (``policybook build``, the plugin) nothing changes:
the function renders at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from generator.site.pages import GeneratedPage, SiteBuilder

F = TypeVar("F", bound=Callable[..., Any])
Then = Callable[["GeneratedPage"], "GeneratedPage"]


def _name(value: object) -> Hashable:
    for attr in ("id", "kind"):
        found = getattr(value, attr, None)
        if isinstance(found, str):
            return found
    return type(value).__name__


class Pending:
    """A page to render: ``fn(site, *args)``, then each of ``then`` in turn."""

    __slots__ = ("site", "fn", "args", "then", "key")

    def __init__(self, site: SiteBuilder, fn: Callable[..., GeneratedPage | None],
                 args: tuple[Any, ...], then: tuple[Then, ...] = (),
                 key: tuple[Hashable, ...] | None = None) -> None:
        self.site, self.fn, self.args, self.then = site, fn, args, then
        self.key = key if key is not None else (fn.__qualname__, *map(_name, args))
        """Names the page across two models (its function and its arguments' ids)."""

    def followed(self, then: Then, scope: str = "") -> Pending:
        """The same page, ``then`` applied to it once rendered (``scope`` is added to
        the key: a library's pack)."""
        key = (scope, *self.key) if scope else self.key
        return Pending(self.site, self.fn, self.args, (*self.then, then), key)

    def render(self) -> GeneratedPage | None:
        """The page; None from a page that may have nothing to show (:func:`maybe`)."""
        deferring, self.site.deferring = self.site.deferring, False
        try:
            page = self.fn(self.site, *self.args)
        finally:
            self.site.deferring = deferring
        if page is None:
            return None
        for then in self.then:
            page = then(page)
        return page


def deferrable(fn: F) -> F:
    """Mark a page function of a site builder (``fn(site, ...)`` → a page)."""

    @functools.wraps(fn)
    def wrapper(site: SiteBuilder, *args: Any) -> Any:
        if site.deferring:
            return Pending(site, fn, args)
        return fn(site, *args)

    return wrapper  # type: ignore[return-value]


def maybe(site: SiteBuilder, fn: Callable[[SiteBuilder], GeneratedPage | None]) -> Any:
    """The pages of ``fn(site)``, a page or None (nothing to show): pending while the
    site builder is deferring (its render may then give None), else none or one."""
    if site.deferring:
        return [Pending(site, fn, ())]
    page = fn(site)
    return [] if page is None else [page]


def later(page: GeneratedPage | Pending, then: Then, scope: str = "") -> Any:
    """``then(page)`` now, or once a pending page is rendered."""
    if isinstance(page, Pending):
        return page.followed(then, scope)
    return then(page)
