"""Words the default theme's templates no longer say, which a project theme ejected before
they changed still asks for.

The shipped catalogs fill in every word a project theme does not translate itself, and
the extractor (babel.cfg) keeps in them only the words something marks. A word left them
with the default template that used it, so a theme ejected before that change said it in
English on its German and Arabic pages, with nothing said at check or build: "Needs" on
the quest page (`{{ _("Needs") }} <code>{{ requires }}</code>`, before `requirement`),
"scenes" on every story card, the relationships page's lede, the print length line and
the gamebook's how-to-read page (before their counts took plural forms). They are marked
here, as they were written, so the catalogs keep them with their translations.
"""

from __future__ import annotations

from .theme_words import N_


def ngettext(singular: str, plural: str, count: int) -> str:
    """Marks a singular and plural pair for Babel's extractor (its default keywords take
    `ngettext`'s first two arguments as one message); nothing is looked up here."""
    return singular if count == 1 else plural


OLDER_THEMES_WORDS = (
    N_("Needs"),                                                   # quest.html
    N_("scenes"),                                                  # _macros.html's card, story.html
    N_("%(people)s people, %(pairs)s bonds: who taught whom, who owes whom, and who would not cross a "
       "channel for whom."),                                       # relationships.html
    ngettext("%(num)s bond", "%(num)s bonds", 1),                  # relationships.html
    # print/templates/macros.html.j2: the length line and the gamebook's how-to-read page
    N_("%(sections)s sections, %(endings)s endings, about %(minutes)s minutes to read"),
    ngettext("%(num)s section", "%(num)s sections", 1),
    ngettext("%(num)s ending", "%(num)s endings", 1),
    ngettext("about %(num)s minute to read", "about %(num)s minutes to read", 1),
    N_("This book is not read from front to back. It is made of %(sections)s numbered sections.\n"
       "  Begin at <a href=\"%(first)s\">section 1</a>. Each section ends with choices; pick one and turn to the "
       "section it names."),
    N_("A section marked <span class=\"end-mark\">The End</span> is one of %(endings)s endings.\n"
       "  Reach it, and the story is over — until you begin again."),
)
