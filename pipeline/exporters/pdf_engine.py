"""Whether this machine can make PDFs at all: WeasyPrint loads Pango (a system library,
not a Python package) when it is imported, and raises OSError where Pango is missing.

Without this, `foundry build` on such a machine (a writer's laptop, a CI runner before
its `apt-get install`) stopped with HF0710 "the process rendering pdf/… stopped
answering", whose hint (build again; a template loops) sent the writer after the wrong
thing, or with an internal error at one worker; and `foundry check` of a project with
its own print theme crashed judging its stylesheets. WeasyPrint also printed its own
banner on stdout, in the middle of `--format json`. Asked once per process, before
anything else imports WeasyPrint; the answer is said as HF0742 by
`engine/outputs.py`, for check and build alike.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import importlib
import io
import warnings

from ..diagnostics import ENVIRONMENT, Diagnostics, Span

INSTALL_HINT = ("Install Pango (`apt-get install libpango-1.0-0 libpangoft2-1.0-0` on Debian and Ubuntu; "
                "WeasyPrint's installation guide lists other systems), or leave PDF out: `foundry build "
                "--only json,html,epub,ink,twee`, or drop \"pdf\" from `outputs` in foundry.toml's [build].")


@functools.cache
def pdf_engine_missing() -> str | None:
    """None when WeasyPrint can be imported here; else why not, in one line (the
    library the loader could not open). WeasyPrint's banner, printed to stdout when its
    libraries fail, is swallowed: stdout may be `--format json`."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            importlib.import_module("weasyprint")   # loads Pango, HarfBuzz, fontconfig through cffi
    except OSError as exc:
        return str(exc).split(".  ")[0].strip() or type(exc).__name__
    return None


# WeasyPrint's own words, printed as it is imported, when fontconfig lists no font on this
# machine: once in every render process, with no code (a bare container, a FONTCONFIG_FILE
# naming no folder). `say_no_fonts` says it once, as HF0740, for check and build alike.
warnings.filterwarnings("ignore", message=r"(No fonts configured in|FontConfig cannot load default config file)",
                        category=UserWarning, module=r"weasyprint\.")
NO_FONTS = ("fontconfig lists no fonts on this machine: the PDFs print with the print theme's own fonts "
            "alone, and any character those lack shows as a box (HF0741 names each); install fonts "
            "(fonts-noto-core, fonts-noto-cjk) or point FONTCONFIG_FILE at a configuration that lists them "
            "(`fc-list` shows what fontconfig reads)")


def say_no_fonts(diags: Diagnostics) -> None:
    """HF0740 once when fontconfig lists no font at all on this machine (WeasyPrint's own
    warning, silenced above, said it once per render process without a code). Nothing is
    said when fontconfig cannot be asked."""
    from ..fontconfig import listed_files
    if listed_files() == frozenset():
        diags.add("HF0740", NO_FONTS, Span(ENVIRONMENT))


# the names WeasyPrint's loader finds Pango and PangoFT2 by without a search (text/ffi.py)
_PANGO_NAMES = (("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll"),
                ("libpangoft2-1.0.so.0", "libpangoft2-1.0.dylib", "libpangoft2-1.0-0.dll"))


def pango_present() -> bool:
    """Whether Pango loads here, asked in milliseconds (importing WeasyPrint takes most
    of a second): part of the check memo's key (engine/checked.py), so that a check
    after installing Pango, as HF0742's hint says, is a check again, not HF0742 replayed."""
    def loads(names: tuple[str, ...]) -> bool:
        for name in names:
            try:
                ctypes.CDLL(name)
                return True
            except OSError:
                continue
        return False
    return all(loads(names) for names in _PANGO_NAMES)


def say_missing_engine(diags: Diagnostics) -> bool:
    """Say HF0742 when PDFs cannot be made on this machine; whether it was said. Where
    Pango loads, nothing more is asked: a check that makes no PDF never imports
    WeasyPrint (most of a second)."""
    missing = None if pango_present() else pdf_engine_missing()
    if missing is None:
        return False
    diags.add("HF0742", f"PDFs cannot be made on this machine: WeasyPrint cannot load Pango ({missing})",
              Span(ENVIRONMENT), hint=INSTALL_HINT)
    return True
