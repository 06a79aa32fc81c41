"""The people an Office document names outside its properties, made "Author".

Besides its document properties (office_metadata.py), an Office file names the people
who worked on it wherever it keeps their work: each comment's and each tracked
change's author and initials (Word's w:author and w:initials on w:comment, w:ins,
w:del…; an ODF's dc:creator in an office:annotation or a change's office:change-info),
the list of everyone who commented with the account they signed in with, often their
e-mail address (Word's word/people.xml, PowerPoint's ppt/authors.xml and
commentAuthors.xml, Excel's xl/persons/person.xml), a workbook's comment authors
(xl/commentsN.xml) and its shared-workbook users (xl/revisions/userNames.xml and the
revision headers), and the people a SharePoint library records of a document it kept
(customXml/item1.xml: its owner's UserInfo), who reserved a workbook and last refreshed
its pivot tables, where a workbook was saved (x15ac:absPath) and the path of the
template a Word document was made from (word/_rels/settings.xml.rels, as app.xml's
Template). A theme's handout with a colleague's review left in it published
their full names and sign-in addresses.

As Word's and PowerPoint's own "Remove personal information" does, each name becomes
"Author" (initials "A", a sign-in provider "None"): the comments and the changes stay,
as written, with who made them left out. A part naming nobody keeps its bytes.
"""

from __future__ import annotations

from lxml import etree

_AUTHOR, _INITIALS, _PROVIDER = "Author", "A", "None"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_P188 = "{http://schemas.microsoft.com/office/powerpoint/2018/8/main}"
_X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_XTC = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"
_DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"

# Attributes that name a person on any element (Word's: every revision and comment
# element carries them), by their qualified name.
_ANYWHERE = {_W + "author": _AUTHOR, _W + "initials": _INITIALS, _W15 + "author": _AUTHOR,
             _W15 + "userId": _AUTHOR, _W15 + "providerId": _PROVIDER}
# Unqualified attributes that name a person on these elements only.
_ON = {
    _P + "cmAuthor": {"name": _AUTHOR, "initials": _INITIALS},
    _P188 + "author": {"name": _AUTHOR, "initials": _INITIALS, "userId": _AUTHOR, "providerId": _PROVIDER},
    _XTC + "person": {"displayName": _AUTHOR, "userId": _AUTHOR, "providerId": _PROVIDER},
    _X + "userInfo": {"name": _AUTHOR},
    _X + "header": {"userName": _AUTHOR},
    _X + "fileSharing": {"userName": _AUTHOR},              # who reserved the workbook
    _X + "pivotCacheDefinition": {"refreshedBy": _AUTHOR},  # who last refreshed a pivot table
}
# Elements that are a path on the author's disk and nothing else: where a workbook was
# last saved ('C:\\Users\\anna\\Documents\\', Excel 2013's x15ac:absPath, optional).
_DROPPED = frozenset({"{http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac}absPath"})
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TEMPLATE = "/attachedTemplate"   # a relationship's type: the template a document was made from
# Elements whose text is a person's name or initials (a workbook's comment authors; an
# ODF annotation's or tracked change's creator, and the initials LibreOffice writes
# beside an annotation's, ODF 1.3's and its own extension's).
_TEXT = {_X + "author": _AUTHOR, _DC_CREATOR: _AUTHOR,
         "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}creator-initials": _INITIALS,
         "{urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0}sender-initials": _INITIALS}
# What a part naming someone holds, looked for before the part is parsed.
_HINTS = (b"author", b"initials", b"userId", b"displayName", b"userInfo", b"userName", b"creator", b"DisplayName",
          b"refreshedBy", b"absPath", b"attachedTemplate")


def without_people(body: bytes) -> bytes:
    """The XML part `body` with every person it names (above) made "Author"; `body`
    itself when it names nobody or cannot be read (no entity is resolved, no DTD or
    network read)."""
    if not any(hint in body for hint in _HINTS):
        return body
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return body
    changed, names = False, set()
    for element in list(root.iter()):
        if not isinstance(element.tag, str):   # a comment or processing instruction
            continue
        if element.tag in _DROPPED and element.getparent() is not None:
            element.getparent().remove(element)
            changed = True
            continue
        if element.tag == _RELATIONSHIP and element.get("Type", "").endswith(_TEMPLATE):
            # its path in the author's home folder (as app.xml's Template): the template's name stays
            target = element.get("Target", "")
            name = target.replace("\\", "/").rsplit("/", 1)[-1]
            if name != target:
                element.set("Target", name)
                changed = True
        named = _ON.get(element.tag, {})
        for attribute, value in element.attrib.items():
            new = _ANYWHERE.get(attribute) or named.get(attribute)
            if new is not None and value != new:
                element.set(attribute, new)
                changed = True
        if element.tag == _X + "author" and element.text:
            names.add(element.text)   # written again, as Excel writes it, before each comment's text
        if element.tag == _X + "t" and element.text and names and _in_comment(element):
            for name in names:
                if element.text.startswith(name + ":") and name != _AUTHOR:
                    element.text = _AUTHOR + element.text[len(name):]
                    changed = True
        new = _TEXT.get(element.tag)
        if new is None and _shared_person(element):
            new = _AUTHOR
        if new is not None and (element.text or len(element)) and (element.text != new or len(element)):
            for child in list(element):
                element.remove(child)
            element.text = new
            changed = True
    if not changed:
        return body
    declared = body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")
    standalone = True if root.getroottree().docinfo.standalone else None   # Office writes standalone="yes"
    return etree.tostring(root, xml_declaration=declared, encoding="UTF-8", standalone=standalone)


def _shared_person(element) -> bool:
    """Whether `element` is the name of a person a SharePoint library records in a
    document's customXml/item*.xml (its owner, who checked it out: a UserInfo's
    DisplayName, in whatever namespace the library's columns have)."""
    parent = element.getparent()
    return (etree.QName(element).localname == "DisplayName" and parent is not None
            and isinstance(parent.tag, str) and etree.QName(parent).localname == "UserInfo")


def _in_comment(element) -> bool:
    """Whether the text run `element` is a workbook comment's (x:comment/x:text/x:r/x:t)."""
    run = element.getparent()
    text = run.getparent() if run is not None else None
    holder = text.getparent() if text is not None and text.tag == _X + "text" else text
    return holder is not None and holder.tag == _X + "comment"
