"""Localization: every translatable line with a stable id, translations in git.

    markers       the ` ^l-3f2a` line-id marker: find, strip (once, in the loader), make
    lines         World → every translatable Line with its id and translator context
    catalog       a translation file, format-neutral (Catalog, Entry)
    formats       PO, XLIFF 2.0, CSV read and written with translate-toolkit
    translations  translations/<lang>/<source>.<ext> found and read like content
    state         lines + catalogs → Localization: what each language shows per line
    check         `foundry check` per language (HF1101–HF1110)
    markup        what a translation must keep of its source
    extract       merge the source into a catalog without losing a translation
    renamed       a renamed source file's translation file, found for `extract` to move
    tag           write markers into the source
    pseudo        the built-in pseudo-locale en-XA
    stale         `foundry diff`: translations a change made stale

See docs/localization.md.
"""
