"""What the bytes of a PDF say that PDFium does not: repair, damage, pages that lost objects.

PDFium reads a damaged file as well as it can and says little about it.  These functions
read the file's own syntax (objects, the page tree, streams) to keep the PDF reader's
promise that nothing is read wrong in silence:

* ``repair``: a file cut short (its cross-reference table and trailer lost) is cut after
  its last complete object and given a trailer naming its catalog; PDFium then finds the
  objects by scanning.  A lost font program of a font whose ``ToUnicode`` map is whole is
  unlinked, or PDFium would drop every character of the font;
* ``pages_needing_lost_objects``: in a repaired file, the pages whose content or text
  resources refer to an object the file no longer holds;
* ``damaged_streams``: the compressed streams whose data does not decompress whole (PDFium
  decodes what it can and says nothing; pdfminer, before it, logged the data-loss), with
  the pages whose content they are.

Regular expressions over bytes, bounded in what each match may span; a stream's data is
skipped, not searched.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

_CATALOG = re.compile(rb"/Type\s*/Catalog\b")
_OBJECT_HEAD = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\b")
_GLYPH_REF = re.compile(rb"/(FontFile[23]?|CIDSet|CIDSystemInfo)\s*(\d{1,10})\s+\d{1,5}\s+R\b")
_ENCRYPTION = re.compile(rb"/Filter\s*/Standard\b")
# Streams that hold no text: images, and font programs (the text is mapped by the font's
# encoding or ToUnicode map, not by its glyphs); and predictor-coded ones (cross-reference data).
_NO_TEXT_STREAM = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType)\b|/DecodeParms")
_OBJECT_NUMBER = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+$")
_FLATE = re.compile(rb"/Filter\s*(?:\[\s*)?/FlateDecode\s*(?:\]|/Length|/|>>|$)")
_LENGTH = re.compile(rb"/Length\s+(\d{1,10})(?!\s+\d+\s+R)")
_REF = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+R\b")
_KEY_REFS = re.compile(rb"/(Kids|Contents|Pages|Root)\s*(\[[^\]]*\]|\d{1,10}\s+\d{1,5}\s+R)")
_PACKED = re.compile(rb"obj\s*<<((?:(?!>>\s*stream).){0,2000}?/Type\s*/ObjStm.{0,2000}?)>>\s*stream\r?\n", re.DOTALL)
_INT_KEY = {k: re.compile(rb"/" + k + rb"\s+(\d{1,10})(?!\s+\d+\s+R)") for k in (b"N", b"First", b"Length")}
_TOKEN = re.compile(
    rb"/([^\s/<>\[\]()%{}]*)|(<<|\[)|(>>|\])|(\d{1,10})\s+\d{1,5}\s+R\b|\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|[^\s/<>\[\]()]+"
)
# Resources that cannot carry text: a page that lost one of them is still read whole.
_NO_TEXT = frozenset({b"Parent", b"ColorSpace", b"Pattern", b"Shading", b"ExtGState", b"Annots", b"Thumb", b"Metadata"})
_PAGE_TEXT = frozenset({b"Contents", b"Resources"})  # what of a page's own dictionary holds its text
_OBJECT = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+obj\b(.{0,4000}?)(?:endobj|stream)", re.DOTALL)
_DATA_LOSS = "Data-loss while decompressing corrupted data"


def damaged_streams(data: bytes) -> dict[str, list[int]]:
    """The compressed (``FlateDecode``) streams of the file whose data does not decompress whole,
    as messages, each with the pages whose content it is.  PDFium decodes what it can of such a
    stream and says nothing; pdfminer, before it, logged the data-loss.  An encrypted file's
    streams cannot be checked (they are decrypted, then decompressed)."""
    if _ENCRYPTION.search(data):
        return {}
    bad: list[int] = []
    at = 0
    while (found := data.find(b"stream", at)) >= 0:
        at = found + 6
        head_at = data.rfind(b"obj", max(0, found - 4000), found)
        if data[found - 3 : found] == b"end" or head_at < 0:
            continue
        head, number = data[head_at:found], _OBJECT_NUMBER.search(data, max(0, head_at - 24), head_at)
        start = at + (2 if data[at : at + 2] == b"\r\n" else 1)
        length = _LENGTH.search(head)
        end = start + int(length.group(1)) if length else data.find(b"endstream", start)
        if end <= start:
            continue
        at = max(at, min(end, len(data)))  # the stream's data is skipped, not searched
        if number is None or not _FLATE.search(head) or _NO_TEXT_STREAM.search(head):
            continue
        inflate = zlib.decompressobj()
        try:
            inflate.decompress(data[start:end])
            inflate.flush()
        except zlib.error:
            bad.append(int(number.group(1)))
    if not bad:
        return {}
    pages = _content_pages(data)
    messages: dict[str, list[int]] = {}
    for damaged in bad:
        messages.setdefault(f"{_DATA_LOSS} (object {damaged})", []).extend(pages.get(damaged, []))
    return messages


def _content_pages(data: bytes) -> dict[int, list[int]]:
    """For each content stream of a page, the pages (1-based) it is the content of."""
    objects = _objects(data)
    found: dict[int, list[int]] = {}
    for page, number in enumerate(_page_tree(objects), 1):
        for content in _key_refs(objects[number]).get(b"Contents", []):
            found.setdefault(content, []).append(page)
    return found


def _objects(data: bytes) -> dict[int, bytes]:
    """The objects of the file by number, each up to its stream's data (the dictionary), those
    packed in object streams included."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(data)}
    if b"/ObjStm" not in data:
        return objects
    for match in _PACKED.finditer(data):
        head = match.group(1)
        count, first, length = (_INT_KEY[k].search(head) for k in (b"N", b"First", b"Length"))
        if not (count and first and length):
            continue
        try:
            packed = zlib.decompress(data[match.end() : match.end() + int(length.group(1))])
        except zlib.error:
            continue
        start = int(first.group(1))
        numbers = [int(n) for n in packed[:start].split()]
        pairs = list(zip(numbers[0::2], numbers[1::2], strict=False))[: int(count.group(1))]
        for i, (number, offset) in enumerate(pairs):
            end = start + pairs[i + 1][1] if i + 1 < len(pairs) else len(packed)
            objects.setdefault(number, packed[start + offset : end])
    return objects


def _key_refs(body: bytes) -> dict[bytes, list[int]]:
    keys: dict[bytes, list[int]] = {}
    for key, value in _KEY_REFS.findall(body):
        keys.setdefault(key, []).extend(int(n) for n in _REF.findall(value))
    return keys


def _page_tree(objects: dict[int, bytes]) -> list[int]:
    """The object numbers of the pages, in the order of the page tree (walked from the catalog)."""
    catalog = next((body for body in objects.values() if _CATALOG.search(body)), None)
    if catalog is None:
        return []
    pages: list[int] = []
    stack = list(reversed(_key_refs(catalog).get(b"Pages", [])))
    seen: set[int] = set()
    while stack:
        number = stack.pop()
        if number in seen or number not in objects:
            continue
        seen.add(number)
        kids = _key_refs(objects[number]).get(b"Kids")
        if kids is not None:
            stack.extend(reversed(kids))
        else:
            pages.append(number)
    return pages


def pages_needing_lost_objects(data: bytes) -> set[int] | None:
    """The pages (1-based) of a repaired file whose content or text resources (fonts, forms)
    refer to an object the file no longer holds: PDFium would read such a page without it,
    and a font without its dictionary or ``ToUnicode`` map is read as codes, not text (seen:
    "2023 年" read as "年 023").  What draws no text (``_NO_TEXT``) is not followed.  None when
    the page tree itself cannot be walked."""
    objects = _objects(data)
    tree = _page_tree(objects)
    if not tree:
        return None
    lost = set()
    for page, number in enumerate(tree, 1):
        body = objects[number]
        if b"/Resources" not in body:  # inherited from a node of the page tree
            parent = _key_refs(body).get(b"Parent", [])
            body += b"".join(objects.get(n, b"") for n in parent)
        stack = [number]
        seen: set[int] = set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if current not in objects:
                lost.add(page)
                break
            text = body if current == number else objects[current]
            stack.extend(_text_refs(text, top=current == number))
    return lost


def _text_refs(body: bytes, top: bool) -> list[int]:
    """The objects a dictionary refers to, but for those under a key in ``_NO_TEXT`` (and, in a
    page's own dictionary, ``top``, all but its ``Contents`` and ``Resources``)."""
    refs: list[int] = []
    frames: list[list[Any]] = [[False, None, False]]  # [is a dictionary, its current key, skipped]

    def skipped() -> bool:
        is_dict, key, skip = frames[-1]
        page = top and len(frames) == 2 and is_dict
        return bool(skip or (key is not None and (key in _NO_TEXT or (page and key not in _PAGE_TEXT))))

    for token in _TOKEN.finditer(body):
        name, opener, closer, ref = token.group(1), token.group(2), token.group(3), token.group(4)
        if opener:
            frames.append([opener == b"<<", frames[-1][1], skipped()])
            continue
        if closer:
            if len(frames) > 1:
                frames.pop()
        elif name is not None and frames[-1][0] and frames[-1][1] is None:
            frames[-1][1] = name
            continue
        elif ref is not None and not skipped():
            refs.append(int(ref))
        if frames[-1][0]:
            frames[-1][1] = None  # a value ends the entry
    return refs


def repair(data: bytes) -> bytes | None:
    """A PDF whose cross-reference table and trailer are lost, made readable: cut after its
    last complete object, with a trailer naming its catalog.  pdfminer then finds the
    objects by scanning the file.  None when there is no catalog to name, or the file was
    encrypted (its key is in the lost trailer)."""
    end = data.rfind(b"endobj")
    if end == -1:
        return None
    body = data[: end + len(b"endobj")]
    catalog = _CATALOG.search(body)
    if catalog is None or _ENCRYPTION.search(body):
        return None
    heads = list(_OBJECT_HEAD.finditer(body, max(0, catalog.start() - 65_536), catalog.start()))
    if not heads:
        return None
    head = heads[-1]
    root = f"{int(head.group(1))} {int(head.group(2))} R".encode()
    return _unlink_lost_glyphs(body) + b"\ntrailer\n<< /Root " + root + b" >>\n%%EOF\n"


def _unlink_lost_glyphs(body: bytes) -> bytes:
    """``body`` with the references to lost objects that only draw the glyphs of a font whose
    text its ``ToUnicode`` map gives replaced: a font program (``/FontFile2 47 0 R`` where
    object 47 was cut off) blanked out, a character collection (``/CIDSystemInfo``) written
    in as Adobe-GB1 (the collection PDFium substitutes a Chinese font from).  PDFium drops
    every character of a font it cannot load, even when its ``ToUnicode`` map is whole;
    patched, it draws the font with a substitute and maps the text.  A font without a whole
    ``ToUnicode`` map is left as it is (its text would be guessed from the collection), and
    a page whose text needs a lost object is left out: PDFium refuses to load it."""
    heads = list(_OBJECT_HEAD.finditer(body))
    ends = [h.start() for h in heads[1:]] + [len(body)]
    spans = {int(h.group(1)): (h.start(), end) for h, end in zip(heads, ends, strict=True)}

    def refs(number: int, key: bytes) -> list[int]:
        start, end = spans[number]
        found = re.search(rb"/" + key + rb"\s*(\[[^\]]*\]|\d{1,10}\s+\d{1,5}\s+R)", body[start:end])
        return [int(n) for n in _REF.findall(found.group(1))] if found else []

    mapped = {n for n in spans if any(t in spans for t in refs(n, b"ToUnicode"))}
    fonts = {d for n in mapped for d in refs(n, b"DescendantFonts") if d in spans}
    covered = fonts | {d for n in fonts for d in refs(n, b"FontDescriptor") if d in spans}

    def unlink(match: re.Match[bytes]) -> bytes:
        if int(match.group(2)) in spans:
            return match.group(0)
        if match.group(1) == b"CIDSystemInfo":
            return b"/CIDSystemInfo <</Registry (Adobe) /Ordering (GB1) /Supplement 2>>"
        return b" " * len(match.group(0))

    out = bytearray()
    at = 0
    for number in sorted(covered, key=lambda n: spans[n][0]):
        start, end = spans[number]
        out += body[at:start] + _GLYPH_REF.sub(unlink, body[start:end])
        at = end
    return bytes(out + body[at:])
