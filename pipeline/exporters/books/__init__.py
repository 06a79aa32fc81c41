"""What the printed outputs share: the print theme, the World as book pages, and
conditions and effects in the reader's words. PDF and EPUB each lay these out."""
