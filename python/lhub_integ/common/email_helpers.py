# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for e-mail bodies (BeautifulSoup, imported when used; lxml when available)."""
import re


def _soup(html):
    from bs4 import BeautifulSoup
    try:
        import lxml  # noqa: F401
        parser = "lxml"
    except ImportError:
        parser = "html.parser"
    return BeautifulSoup(html or "", parser)


def html_to_text(html):
    """The visible text of an HTML body, one block per line."""
    soup = _soup(html)
    for tag in soup(["script", "style"]):
        tag.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


def extract_links(html):
    """The ``href`` of every link of an HTML body, in order."""
    return [a.get("href") for a in _soup(html).find_all("a") if a.get("href")]


_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def extract_email_addresses(text):
    """Distinct e-mail addresses in ``text``, in order of appearance."""
    seen = []
    for address in _EMAIL_RE.findall(text or ""):
        if address not in seen:
            seen.append(address)
    return seen
