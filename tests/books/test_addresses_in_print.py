"""An address or a long id typed in prose, not as code, prints without a hyphen it does
not hold: hyphenated like a word, `https://example.org/registrations` printed as
`regis‐trations` over two lines, and a reader typing it in reached another address.
Read back with `pdftotext -bbox`: the words an address was broken into, joined, are
the address itself."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from lxml import etree

from book_support import EPOCH, ONE_PROCESS, need_poppler
from support import ROOTS, foundry

# Long words a hyphenator splits (registrations, harbourmasters, correspondence), in
# every form: bare in a sentence, an autolink, a link whose text is the address, a mail
# address, an id joined by underscores.
ADDRESSES = [
    "https://example.org/registrationsofthedrownedcoast/harbourmasterscorrespondence",
    "https://registrations.example.org/harbourmasterscorrespondence/registrationsledger",
    "www.harbourmasterscorrespondence.example.org/registrations",
    "registrations.harbourmasters@correspondence.example.org",
    "harbourmasters_correspondence_registrations_ledger",
]
PROSE = (f"Write to {ADDRESSES[0]} for the ledger, or see <{ADDRESSES[1]}> and [{ADDRESSES[2]}]({ADDRESSES[1]}); "
         f"the keeper answers at <{ADDRESSES[3]}>, and the ledger's id is {ADDRESSES[4]}. Also {ADDRESSES[0]}, "
         f"then once more, a few words on, {ADDRESSES[1]} at the end.")


# Numbered lists the writer starts past 1 (this build shared: test_a_list_started_at_three_prints_from_three).
LISTS = "3. Thirdstep of the list\n  4. Fourthstep of the list\n\n  Between.\n\n  12) Twelfthstep\n\n"


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> list[str]:
    need_poppler()
    root = tmp_path_factory.mktemp("addresses") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("  Rook grew up", f"  {PROSE}\n\n  {LISTS}  Rook grew up"))
    run = foundry("build", "--only", "pdf", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    out = subprocess.run(["pdftotext", "-bbox", str(root / "build/pdf/heroes/first-hero.pdf"), "-"],
                         capture_output=True, check=True).stdout
    return [w.text or "" for w in etree.fromstring(out, etree.HTMLParser()).iter("word")]


@pytest.mark.parametrize("address, shown", [(ADDRESSES[0], 2), (ADDRESSES[1], 2), (ADDRESSES[2], 1),
                                            (ADDRESSES[3], 1), (ADDRESSES[4], 1)])
def test_an_address_in_prose_prints_as_itself(printed, address, shown):
    # the words joined with nothing between: an address broken at a line's end reads
    # whole again, one with an inserted hyphen does not
    assert "".join(printed).count(address) == shown, [w for w in printed if w[:5] in address]


def test_some_address_was_broken_across_lines(printed):
    # the test above means something only if addresses met a line's end
    assert sum(address in printed for address in ADDRESSES) < len(ADDRESSES) - 1


def test_a_list_started_at_three_prints_from_three(printed):
    # `3. Third` is `<ol start="3">`, which WeasyPrint reads only as a presentational
    # hint (off): every PDF renumbered the writer's list 1, 2 where the site shows 3, 4
    numbers = {printed[k]: printed[k - 1] for k in range(1, len(printed)) if printed[k].endswith("step")}
    assert numbers == {"Thirdstep": "3.", "Fourthstep": "4.", "Twelfthstep": "12."}, numbers
