"""Printable posters: a branch's, a desk's or a staff member's survey link as a QR code.

Three formats (:data:`POSTER_FORMATS`): an A4 or A5 poster, and a table tent
(A4 folded across the middle, the top half printed upside down so each side
reads the right way up). Each carries the library's name and, when one is
uploaded, its logo (``services.branding``), given to WeasyPrint as a
``generated:logo`` image through the report URL fetcher.

The QR code is vector (segno's SVG, inline in the page), so it prints sharp
at any size; the link is printed under it too, for anyone who cannot scan.
Posters stay on walls for years, so the link is the plain survey URL, which
keeps working (see ``targets``). The call to action is given in every
language the installation offers, because the poster cannot know who reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

import segno
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..pdf import render_pdf
from ..store import Store

__all__ = ["POSTER_FORMATS", "PosterError", "build_poster", "poster_html", "qr_svg", "survey_link",
           "you_said_we_did_html", "build_you_said_we_did_poster", "YOU_SAID_WE_DID_LINES"]

#: format -> (template, page size given to the renderer; None: the template's own @page size)
POSTER_FORMATS = {"a4": ("posters/poster.html", "A4"), "a5": ("posters/poster.html", "A5"),
                  "tent": ("posters/tent.html", None)}
#: How many "you said, we did" lines fit on an A4 poster in large type.
YOU_SAID_WE_DID_LINES = 6


class PosterError(LookupError):
    """The poster names a branch, desk or staff member that does not exist."""


@dataclass(frozen=True)
class CallToAction:
    language: str
    heading: str
    instruction: str


def survey_link(base_url: str, branch: str, desk: str | None = None, staff_code: str | None = None) -> str:
    """The survey URL printed on a poster: ``<base>/s/<branch>[/<desk>][?staff=CODE]``."""
    path = f"/s/{quote(branch)}" + (f"/{quote(desk)}" if desk else "")
    query = f"?{urlencode({'staff': staff_code})}" if staff_code else ""
    return base_url.rstrip("/") + path + query


def qr_svg(url: str) -> str:
    """A vector QR code for ``url`` as inline SVG (medium error correction: it survives a scuffed print)."""
    return segno.make_qr(url, error="m").svg_inline(scale=1, border=4, omitsize=True, svgclass="qr")


def _calls_to_action(languages: list[str]) -> list[CallToAction]:
    calls = []
    for language in languages:
        with force_locale(language):
            calls.append(CallToAction(
                language,
                _("Tell us how we did"),
                _("Scan the code with your phone camera. It takes under a minute and is anonymous."),
            ))
    return calls


def poster_html(store: Store, *, base_url: str, branch: str, desk: str | None = None,
                staff_code: str | None = None, poster_format: str = "a4", has_logo: bool = False) -> str:
    """The poster as HTML, for :func:`build_poster` (and for a look in a browser)."""
    found_branch = store.directory.branch(branch)
    if found_branch is None:
        raise PosterError(f"no branch {branch!r}")
    found_desk = store.directory.desk(branch, desk) if desk else None
    if desk and found_desk is None:
        raise PosterError(f"no desk {desk!r} at branch {branch!r}")
    member = store.directory.staff_by_code(staff_code) if staff_code else None
    if staff_code and (member is None or member.branch != branch):
        raise PosterError(f"no staff member with code {staff_code!r} at branch {branch!r}")
    if poster_format not in POSTER_FORMATS:
        raise PosterError(f"no poster format {poster_format!r}")
    url = survey_link(base_url, branch, desk, member.code if member else None)
    config = current_app.config
    from .branding import poster_branding

    library_name, _logo = poster_branding(store, config["SYSTEM_NAME"])
    return render_template(
        POSTER_FORMATS[poster_format][0], branch=found_branch, desk=found_desk, member=member, url=url,
        qr=qr_svg(url), calls=_calls_to_action(list(config["LANGUAGES"])),
        show_staff=config["SHOW_STAFF_NAMES"], language=config["BABEL_DEFAULT_LOCALE"],
        library_name=library_name, has_logo=has_logo, poster_format=poster_format,
    )


def build_poster(store: Store, *, base_url: str, branch: str, desk: str | None = None,
                 staff_code: str | None = None, poster_format: str = "a4") -> bytes:
    """The poster as PDF bytes. Raises :class:`PosterError` for an unknown branch, desk, staff code or format."""
    from .branding import poster_branding

    _name, logo = poster_branding(store, current_app.config["SYSTEM_NAME"])
    html = poster_html(store, base_url=base_url, branch=branch, desk=desk, staff_code=staff_code,
                       poster_format=poster_format, has_logo=logo is not None)
    page_size = POSTER_FORMATS.get(poster_format, POSTER_FORMATS["a4"])[1]
    images = {"logo": (logo, "image/png")} if logo else None
    # The poster templates style themselves (no report stylesheet): a poster has no running header.
    return render_pdf(html, stylesheets=(), page_size=page_size, images=images, name="poster")


def you_said_we_did_html(store: Store, *, base_url: str, branch: str) -> str:
    """The branch's latest "you said, we did" lines on a poster, with the survey QR code to say more."""
    from .you_said_we_did import branch_actions

    found_branch = store.directory.branch(branch)
    if found_branch is None:
        raise PosterError(f"no branch {branch!r}")
    url = survey_link(base_url, branch)
    config = current_app.config
    language = config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        return render_template(
            "posters/you_said_we_did.html", branch=found_branch, url=url, qr=qr_svg(url),
            actions=branch_actions(store, branch)[:YOU_SAID_WE_DID_LINES], language=language)


def build_you_said_we_did_poster(store: Store, *, base_url: str, branch: str) -> bytes:
    """The "you said, we did" poster of ``branch`` as PDF bytes, on A4."""
    html = you_said_we_did_html(store, base_url=base_url, branch=branch)
    # Like the other posters, it styles itself: no report stylesheet, no running header.
    return render_pdf(html, stylesheets=(), page_size="A4", name="poster")
