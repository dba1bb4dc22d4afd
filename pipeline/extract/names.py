"""Whether a string found where an author should be is a person's (or a desk's) name.

Every source of a byline also yields chrome: the author box's heading ("About the
Author"), its buttons ("View more posts"), a lone "Written By" whose name sits in another
element, a date ("Dec", "Updated January"), a footer line ("© … Privacy Policy"), a CMS
placeholder ("Undefined", "Name", "admin"), or the site's own name restated as the author.
A reader trusts a missing author more than a wrong one, so each name is checked here, by
its shape and words, never by a list of sites: a name of words that are all such label
words, one that holds a word that no name holds, a date, and an organisation that is the
site itself are refused.

Names are split and tidied by trafilatura's `normalize_authors`, and several are joined
as it joins them, with "; ".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from trafilatura.json_metadata import normalize_authors

AUTHOR_SEPARATOR = "; "


def vocabulary(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string."""
    return frozenset(words.split())


# Words that make up byline labels and author-box chrome: a "name" made only of these is
# a label ("About the Author", "Written By", "The Author", "Staff").
LABEL_WORDS = vocabulary("""
    a about all an and article articles author authors biography bio by contributor
    contributors details editor editorial editors for from guest info information latest
    me meet more my name of our page post posted posts profile read see staff the this
    view written writer writers you your
    """)
# Words no personal or desk name holds: chrome, dates and CMS placeholders. One of them
# anywhere in the candidate refuses it.
FOREIGN_WORDS = vocabulary("""
    admin administrator anonymous byline click close comment comments conditions
    cookie cookies copyright email extra follow head home login logout menu newsletter
    null open password policy privacy published register reserved rights search share
    sign signup submenu subscribe terms undefined unknown updated webmaster
    january february march july september october november december
    feb apr jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday
    minute minutes hour hours ago reading www com http https html
    ceo cto cofounder founder director manager columnist correspondent reporter writer
    writers journalism licensed
    """)
# Lowercase words that do belong inside names ("Ludwig van Beethoven", "Ana de la Cruz").
_PARTICLES = vocabulary("al bin da das de del della der di dos du el la le st van von y zu")
# Legal forms and institutions: such a name is a copyright holder or a publisher.
LEGAL_FORMS = vocabulary("inc llc ltd corp corporation plc gmbh university")
# Words that mark an organisation rather than a person.
ORGANISATION_WORDS = vocabulary("""
    agency association blog center centre clinic co college company corp corporation
    council foundation group health hospital inc institute llc ltd magazine media
    network news official online pc plc press services solutions studio team
    today tv university
    """)
# Month names that are also first names count as a date only when they stand alone.
_MONTHS = vocabulary("april may june august")
_WORD = re.compile(r"\w+")
# Words after which a byline's name has ended: a role, a date, an "updated" note.
CUT_WORDS = FOREIGN_WORDS | vocabulary("""
    senior junior contributing contributor staff editor editors head lead chief
    journalist expert specialist photographer producer last edited reviewed verified
    checked may june april august
    """)
_BY = re.compile(r"^.*?\b(?:written|reviewed|posted|recipe|edited|story|words)?\s*by\s+", re.I)
_MAX_NAME_CHARS = 70
_MIN_WORD_LETTERS = 2
_MIN_SITE_PREFIX = 4
_MAX_NAME_WORDS = 6


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def squeeze(text: str) -> str:
    """Letters and digits only, casefolded: "USA TODAY", "usatoday" and "USAToday" agree."""
    return "".join(_words(text))


def is_label(name: str) -> bool:
    """True for chrome: only label words, or any word that no name holds."""
    words = _words(name)
    if not words or all(w in LABEL_WORDS for w in words):
        return True
    return any(w in FOREIGN_WORDS for w in words)


def _hyphens(word: str) -> int:
    return word.count("-")


def _mixed_case_phrase(name: str) -> bool:
    # "Personal finance January", "Posted in news": capitalised words with lowercase
    # ones that are not particles read as a phrase; an all-lowercase handle is a name.
    parts = name.split()
    lower = [p for p in parts if p[:1].islower() and p.casefold() not in _PARTICLES]
    return bool(lower) and len(lower) < len(parts)


def trim_name(name: str) -> str:
    """The name without what a byline adds around it: "Recipe by X", "X Senior Writer",
    "X Last Updated August 1"."""
    name = _BY.sub("", name, count=1) if " by " in f" {name.casefold()} " else name
    words = name.split()
    kept = []
    for index, word in enumerate(words):
        folded = _words(word)
        if any(w in CUT_WORDS for w in folded) and not (index == 0 and folded[0] in _MONTHS):
            break
        kept.append(word)
    if len(kept) < len(words) and not _whole_name(kept):
        return ""  # "NOC Admin", "M A Journalism": what is left is no name of its own
    return " ".join(kept)


def _whole_name(words: list[str]) -> bool:
    letters = [w for w in words if sum(c.isalpha() for c in w) >= _MIN_WORD_LETTERS]
    return len(words) >= _MIN_WORD_LETTERS and bool(letters)


def plausible_name(name: str) -> bool:
    """A name's shape: short, few words, letters first, no chrome words."""
    name = name.strip()
    if not name or len(name) > _MAX_NAME_CHARS or len(name.split()) > _MAX_NAME_WORDS:
        return False
    if "©" in name or "@" in name or "://" in name or not name[0].isalpha():
        return False
    if sum(c.isdigit() for c in name) > len(name) // 2 or max(map(_hyphens, name.split())) > 2:
        return False
    if len(name.split()) == 1 and name.casefold() in _MONTHS:
        return False
    if any(w in LEGAL_FORMS for w in _words(name)):
        return False  # a company's or institution's legal name, not a byline
    return not is_label(name) and not _mixed_case_phrase(name)


def looks_like_organisation(name: str) -> bool:
    words = name.split()
    return (
        len(words) == 1
        or name.isupper()
        or words[0].casefold() == "the"
        or any(w in ORGANISATION_WORDS for w in _words(name))
    )


def is_site_name(name: str, site_names: Iterable[str], exact: bool = False) -> bool:
    """The name restates the site: equal to one of its names or its domain's words, or
    (unless `exact`) one of them followed by a legal form ("Kneib Dentistry PC")."""
    key = squeeze(name)
    if not key:
        return False
    for site in site_names:
        other = squeeze(site)
        prefixed = not exact and len(other) >= _MIN_SITE_PREFIX and key.startswith(other)
        if other and (key == other or prefixed):
            return True
        initials = "".join(w[0] for w in _words(name) if w not in LABEL_WORDS)
        if len(initials) >= 3 and initials == other:
            return True
    return False


def author_names(raw: str | None, site_names: Iterable[str] = ()) -> list[str]:
    """The plausible names in `raw`; site-like names that restate the site are dropped."""
    if not raw:
        return []
    joined = normalize_authors(None, raw)
    if not joined:
        return []
    sites = list(site_names)
    names = []
    for name in joined.split(AUTHOR_SEPARATOR):
        name = trim_name(name.strip())
        if not plausible_name(name):
            continue
        if looks_like_organisation(name) and is_site_name(name, sites):
            continue
        if name not in names:
            names.append(name)
    return names


def join_names(names: Iterable[str]) -> str | None:
    unique = list(dict.fromkeys(n for n in names if n))
    return AUTHOR_SEPARATOR.join(unique) or None
