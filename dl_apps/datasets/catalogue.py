"""The films of a ratings data set: titles, years, genres, popularity, and forgiving title lookup.

Lookup ignores case, accents, spacing and a moved article ("Usual Suspects, The" ↔ "The Usual
Suspects"); the year is optional.  Used by every recommender (``dl_apps.nets.recommenders``)
and by the recommendation task to match the films a user typed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import numpy as np

from dl_apps.datasets.movielens import RatingsData

MAX_TITLE_CHARS = 200
_YEAR = re.compile(r" \(\d{4}\)$")
_ARTICLES = ("the", "a", "an", "les", "la", "le", "l'", "il", "el", "das", "der", "die")

# ------------------------------------------------------------------- catalogue
def normalise_title(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a title, used for matching."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("’", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip().strip("\"'").strip()


def _article_variants(key: str) -> list[str]:
    """'usual suspects, the (1995)' ↔ 'the usual suspects (1995)'."""
    year = ""
    match = re.match(r"^(.*?)( \(\d{4}\))$", key)
    if match:
        key, year = match.group(1), match.group(2)
    variants = []
    for article in _ARTICLES:
        suffix = f", {article}"
        if key.endswith(suffix):
            glue = "" if article.endswith("'") else " "
            variants.append(f"{article}{glue}{key[: -len(suffix)]}{year}")
        prefix = article if article.endswith("'") else f"{article} "
        if key.startswith(prefix) and len(key) > len(prefix):
            variants.append(f"{key[len(prefix):]}, {article}{year}")
    return variants


class Catalogue:
    """The films of a ratings set: titles, years, genres, popularity, and title lookup."""

    def __init__(self, data: RatingsData) -> None:
        self.data_name = data.name
        self.titles = data.titles
        self.years = data.years
        self.genres = data.genres
        self.genre_names = data.genre_names
        self.genre_matrix = data.genre_matrix()
        self.popularity = np.bincount(data.items, minlength=data.n_items).astype(np.int64)
        self._lookup: dict[str, int] = {}
        # exact display titles first, then bare titles (the most rated film wins a tie)
        by_popularity = sorted(range(len(self.titles)), key=lambda i: (-self.popularity[i], i))
        for item in by_popularity:
            key = normalise_title(self.titles[item])
            for variant in (key, *_article_variants(key)):
                self._lookup.setdefault(variant, item)
        for item in by_popularity:
            bare = re.sub(r" \(\d{4}\)$", "", normalise_title(self.titles[item]))
            for variant in (bare, *_article_variants(bare)):
                self._lookup.setdefault(variant, item)
        self._normalised = [normalise_title(title) for title in self.titles]
        self._bare = [_YEAR.sub("", name) for name in self._normalised]

    @property
    def n_items(self) -> int:
        return len(self.titles)

    def find(self, title: str) -> int | None:
        """The item of ``title`` (case-insensitive; year optional; "The X" = "X, The"), or None."""
        key = normalise_title(title)
        if key in self._lookup:
            return self._lookup[key]
        for variant in _article_variants(key):
            if variant in self._lookup:
                return self._lookup[variant]
        return None

    def suggest(self, title: str, n: int = 3) -> list[str]:
        """Close titles for a typo, best first."""
        key = normalise_title(title)[:MAX_TITLE_CHARS]
        names = self._normalised if _YEAR.search(key) else self._bare
        close = difflib.get_close_matches(key, names, n=n, cutoff=0.6)
        starts = [i for i, name in enumerate(names) if key and name.startswith(key)]
        found = [names.index(name) for name in close] + starts
        unique = list(dict.fromkeys(found))[:n]
        return [self.titles[item] for item in unique]

    def search(self, query: str, limit: int = 20) -> list[str]:
        """Titles containing ``query`` (case/accent-insensitive), most rated first: autocomplete."""
        key = normalise_title(query)
        if not key:
            return []
        found = [i for i, name in enumerate(self._normalised) if key in name]
        word = re.compile(r"(^|\W)" + re.escape(key))
        found.sort(key=lambda i: (not self._normalised[i].startswith(key), not word.search(self._normalised[i]), -self.popularity[i], i))
        return [self.titles[i] for i in found[:limit]]

