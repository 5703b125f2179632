"""``{{ url|speaking }}``: ``url`` asking for the page's language, for the links and forms that
must carry it (the widget's, which has no cookies, and pages that open in a new tab)."""

from __future__ import annotations

from django import template

from heelcheck.web import language

register = template.Library()


@register.filter
def speaking(url: str) -> str:
    return language.with_language(str(url), language.current())
