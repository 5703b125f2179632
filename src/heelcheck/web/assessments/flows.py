"""Where the pages of one assessment live, and which page frame they are drawn in.

The same views serve two flows:

* on the site, under ``/a/<id>/``: opened by the browser whose signed session holds the
  assessment's private token, with the site's header and footer;
* embedded in another site's iframe, under ``/embed/a/<token>/``: opened by the private token
  in the URL itself, because a cross-site iframe gets no SameSite=Lax cookies (and may get no
  cookies at all), drawn without the site's header and navigation, and only inside a frame;
* a finished result opened by its private link, ``/r/<token>/``, in a browser that did not
  start it: read-only (it can be deleted, not changed).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Flow:
    embed: bool
    base: str  # the assessment's own pages, without the trailing slash
    result: str
    home: str  # the start page of this flow
    deleted: str
    layout: str  # the template every page of the flow extends
    # True for a private link opened elsewhere: whoever sent the link could read any answer
    # changed through it, so it offers no way to change one.
    read_only: bool = False

    @property
    def question(self) -> str:
        return f"{self.base}/"

    def revisit(self, qid: str) -> str:
        return f"{self.base}/q/{qid}/"

    @property
    def delete(self) -> str:
        return f"{self.base}/delete"


def on_site(assessment_id: uuid.UUID | str, token: str | None) -> Flow:
    return Flow(
        embed=False,
        base=f"/a/{assessment_id}",
        result=f"/r/{token}/",
        home="/",
        deleted="/deleted/",
        layout="base.html",
    )


def by_link(token: str) -> Flow:
    base = f"/r/{token}"
    return Flow(embed=False, base=base, result=f"{base}/", home="/", deleted="/deleted/",
                layout="base.html", read_only=True)  # fmt: skip


EMBED_HOME = "/embed/"
EMBED_LAYOUT = "assessments/embed/base.html"  # the widget's page frame: no site header


def embedded(token: str) -> Flow:
    base = f"/embed/a/{token}"
    return Flow(
        embed=True,
        base=base,
        result=f"{base}/result",
        home=EMBED_HOME,
        deleted=f"{EMBED_HOME}deleted/",
        layout=EMBED_LAYOUT,
    )
