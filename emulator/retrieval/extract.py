"""The text of an uploaded file, as file_search indexes it.

`extract_text(filename, content)` picks a reader by the file's extension (the real
service's list of file_search types) and returns normalised text, or raises
`ExtractionError` with the `last_error` code a vector store file gets:

- `unsupported_file`: the extension is not one file_search accepts;
- `invalid_file`: the content cannot be read as that type, or holds no text.

Readers:

- text (`.txt .md .tex` and code: `.c .cpp .cs .css .go .java .js .php .py .rb .sh .ts`):
  UTF-8 (a BOM is dropped; UTF-16/32 with a BOM are read too), else Windows-1252, else
  Latin-1; content with NUL bytes or many control characters is binary, not text;
- `.html .htm` (lxml's HTML parser): the visible text (no script, style, template,
  noscript, comments; `<title>` is kept), whitespace collapsed as a browser does except
  in `<pre>`, block elements on their own lines, table cells separated by tabs;
- `.json`: the document as an indented outline, `key: value` lines and `- item` lines
  (strings unquoted); JSON Lines in a `.json` file are read as a list;
- `.pdf` (pypdf): each page's text, pages separated by a blank line; an encrypted PDF is
  read if its user password is empty;
- `.docx` (python-docx): paragraphs and tables in document order, a table row per line
  with tab-separated cells (headers, footers, footnotes and text boxes are not read);
- `.pptx` (python-pptx): slide by slide, the text of every shape (groups, tables and
  placeholders included) in the slide's order, then the slide's notes;
- `.doc`: legacy binary Word cannot be read (no pure-Python reader is dependable), so it
  fails `invalid_file`, unless the file is really a .docx under another name.

Zip-based formats are refused when they would uncompress to more than
`MAX_UNCOMPRESSED_BYTES`; a malformed file of any type fails `invalid_file`, never with
another exception.

The result is normalised: line endings become `\\n`, NUL characters are dropped,
trailing whitespace is stripped from every line, a run of three or more blank lines
becomes two, and blank lines at the start and whitespace at the end are removed. Text
that is empty after this fails `invalid_file` ("The file contains no text.").
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import zipfile
from typing import Any

from .. import optional

__all__ = ["ExtractionError", "MAX_UNCOMPRESSED_BYTES", "SUPPORTED_EXTENSIONS", "extract_text"]

#: The most a .docx/.pptx may uncompress to (the sum of its members' sizes).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024

TEXT_EXTENSIONS = frozenset(
    {"txt", "md", "tex", "c", "cpp", "cs", "css", "go", "java", "js", "php", "py", "rb", "sh", "ts"}
)
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | {"html", "htm", "json", "pdf", "docx", "pptx", "doc"}
#: The distribution that reads each type (the others are read with the standard library).
READERS = {"html": "lxml", "htm": "lxml", "pdf": "pypdf", "docx": "python-docx", "pptx": "python-pptx",
           "doc": "python-docx"}  # fmt: skip

NO_TEXT = "The file contains no text."


class ExtractionError(Exception):
    """A file file_search cannot index: `code` is the vector store file's `last_error.code`
    (`unsupported_file` or `invalid_file`), `message` its `last_error.message`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def extract_text(filename: str, content: bytes) -> str:
    """The normalised text of `content`, read as the type `filename`'s extension names."""
    ext = _extension(filename)
    if not ext:
        raise ExtractionError("unsupported_file", "Files without an extension are not supported for file search.")
    if ext not in SUPPORTED_EXTENSIONS:
        raise ExtractionError("unsupported_file", f"The file type .{ext} is not supported for file search.")
    content = bytes(content)
    reader = READERS.get(ext)
    if reader:
        try:
            optional.require("file_search", reader, what=f"reading .{ext} files")
        except optional.MissingPackages as exc:
            raise ExtractionError("server_error", str(exc)) from None
    if ext in TEXT_EXTENSIONS:
        text = _decode(content)
    elif ext in ("html", "htm"):
        text = _html(_decode(content))
    elif ext == "json":
        text = _json(_decode(content))
    elif ext == "pdf":
        text = _pdf(content)
    elif ext == "docx":
        text = _docx(content)
    elif ext == "pptx":
        text = _pptx(content)
    else:
        text = _doc(content)
    text = normalize(text)
    if not text:
        raise ExtractionError("invalid_file", NO_TEXT)
    return text


def normalize(text: str) -> str:
    """Line endings to `\\n`, no NULs, no trailing whitespace on lines, at most two blank
    lines in a row, no blank lines at the start, no whitespace at the end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{4,}", "\n\n\n", text)
    return text.lstrip("\n").rstrip()


def _extension(filename: str) -> str:
    base = re.split(r"[\\/]", filename or "")[-1]
    return os.path.splitext(base)[1][1:].lower()


# -- text -------------------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Control characters (Unicode category Cc) but whitespace and ESC (ANSI colours in logs).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
#: Above this share of control characters, a file is binary data, not text.
_MAX_CONTROL_SHARE = 0.05


def _decode(content: bytes) -> str:
    text = None
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                text = content.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ExtractionError("invalid_file", f"The file is not valid {encoding.upper()} text.") from exc
            break
    if text is None:
        for encoding in ("utf-8", "cp1252", "latin-1"):  # Latin-1 decodes any bytes
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    assert text is not None
    if "\x00" in text:
        raise ExtractionError("invalid_file", "The file is binary data, not text.")
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise ExtractionError("invalid_file", "The file is binary data, not text.")
    return text


# -- HTML -------------------------------------------------------------------------------

_HIDDEN = frozenset({"script", "style", "template", "noscript"})
_PARAGRAPHS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "table", "ul", "ol", "dl", "figure", "hr"}
    | {"section", "article", "header", "footer", "nav", "aside", "main", "form", "fieldset", "details", "title"}
)
_LINES = frozenset(
    {"div", "li", "tr", "dt", "dd", "caption", "figcaption", "address", "summary", "legend", "option", "body"}
    | {"thead", "tbody", "tfoot", "br", "center", "menu", "dialog", "search", "hgroup"}
)


def _html(source: str) -> str:
    """The visible text of an HTML document (lxml's parser: C, linear, forgiving; the
    standard library's html.parser is quadratic on some malformed input)."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8")
    try:
        root = lxml.html.document_fromstring(source.encode("utf-8", "surrogatepass"), parser=parser)
    except lxml.etree.ParserError:  # "Document is empty"
        return ""
    except Exception as exc:
        raise ExtractionError("invalid_file", f"The file could not be read as HTML: {_reason(exc)}") from exc
    out = _VisibleText()
    hidden = 0  # depth inside script, style, ...
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if hidden or tag in _HIDDEN:
                hidden += tag in _HIDDEN
                continue
            out.open(tag)
            out.data(element.text)
        elif hidden:
            if tag in _HIDDEN:
                hidden -= 1
                if not hidden:
                    out.data(element.tail)
        else:
            out.close(tag)
            out.data(element.tail)
    return "".join(out.parts)


class _VisibleText:
    """Collects text as a browser lays it out: whitespace collapsed (except in `<pre>`),
    block elements on their own lines, table cells separated by tabs."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pre = 0

    def _ends_with_space(self) -> bool:
        return not self.parts or self.parts[-1][-1:] in (" ", "\n", "\t")

    def _break(self, newlines: int) -> None:
        tail = "".join(self.parts[-4:])
        have = len(tail) - len(tail.rstrip("\n"))
        if self.parts and have < newlines:  # (trailing spaces go in `normalize`)
            self.parts.append("\n" * (newlines - have))

    def open(self, tag: str) -> None:
        if tag == "pre":
            self.pre += 1
        if tag in ("td", "th") and not self._ends_with_space():
            self.parts.append("\t")
        elif tag in _PARAGRAPHS:
            self._break(2)
        elif tag in _LINES:
            self._break(1)

    def close(self, tag: str) -> None:
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in _PARAGRAPHS:
            self._break(2)
        elif tag in _LINES:
            self._break(1)

    def data(self, text: str | None) -> None:
        if not text:
            return
        if not self.pre:
            text = re.sub(r"[ \t\n\r\f]+", " ", text)
            if self._ends_with_space():
                text = text.lstrip(" ")
        if text:
            self.parts.append(text)


# -- JSON -------------------------------------------------------------------------------


def _json(source: str) -> str:
    try:
        try:
            document = json.loads(source)
        except json.JSONDecodeError as exc:
            lines = [line for line in source.splitlines() if line.strip()]
            if len(lines) < 2:
                raise
            try:  # JSON Lines
                document = [json.loads(line) for line in lines]
            except ValueError:
                raise exc from None
        if document in ({}, [], ""):  # an empty document, not the text "{}"
            return ""
        return "\n".join(_outline(document, 0))
    except RecursionError as exc:
        raise ExtractionError("invalid_file", "The file could not be read as JSON: it is nested too deeply.") from exc
    except ValueError as exc:
        raise ExtractionError("invalid_file", f"The file could not be read as JSON: {exc}") from exc


def _scalar(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _outline(value: Any, depth: int) -> list[str]:
    """`key: value` lines for an object, `- item` lines for an array, indented two spaces a level."""
    pad = "  " * depth
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        items = [(f"{key}:", item) for key, item in value.items()]
    elif isinstance(value, list):
        if not value:
            return [pad + "[]"]
        items = [("-", item) for item in value]
    else:
        return [pad + line for line in _scalar(value).split("\n")]
    lines = []
    for label, item in items:
        if isinstance(item, dict | list) and item:
            nested = _outline(item, depth + 1)
            if label == "-":  # "- key: value" / "- - item", the rest aligned under it
                lines.append(f"{pad}- {nested[0][len(pad) + 2 :]}")
                lines.extend(nested[1:])
            else:
                lines.append(pad + label)
                lines.extend(nested)
        else:
            first, *rest = ("{}" if item == {} else "[]" if item == [] else _scalar(item)).split("\n")
            lines.append(f"{pad}{label} {first}")
            lines.extend(f"{pad}  {line}" for line in rest)
    return lines


# -- PDF --------------------------------------------------------------------------------


def _pdf(content: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("invalid_file", "The PDF is encrypted with a password and cannot be read.")
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many kinds on malformed input
        raise ExtractionError("invalid_file", f"The file could not be read as PDF: {_reason(exc)}") from exc


# -- Office Open XML --------------------------------------------------------------------


def _check_zip(content: bytes, kind: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except Exception as exc:
        raise ExtractionError("invalid_file", f"The file could not be read as {kind}: {_reason(exc)}") from exc
    if size > MAX_UNCOMPRESSED_BYTES:
        raise ExtractionError(
            "invalid_file",
            f"The file could not be read as {kind}: it uncompresses to more than "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB.",
        )


def _docx(content: bytes) -> str:
    import docx

    _check_zip(content, "DOCX")
    try:
        document = docx.Document(io.BytesIO(content))
        return "\n\n".join(block for block in _docx_blocks(document) if block.strip())
    except Exception as exc:
        raise ExtractionError("invalid_file", f"The file could not be read as DOCX: {_reason(exc)}") from exc


def _docx_blocks(container: Any) -> list[str]:
    """The paragraphs and tables of a document or table cell, in order."""
    from docx.table import Table

    blocks = []
    for item in container.iter_inner_content():
        if isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell appears once per grid column it spans
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(" ".join(" ".join(_docx_blocks(cell)).split()))
                rows.append("\t".join(cells))
            blocks.append("\n".join(rows))
        else:
            blocks.append(item.text)
    return blocks


def _pptx(content: bytes) -> str:
    import pptx

    _check_zip(content, "PPTX")
    try:
        presentation = pptx.Presentation(io.BytesIO(content))
        slides = []
        for slide in presentation.slides:
            texts = [text for shape in slide.shapes for text in _shape_texts(shape)]
            if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
                texts.append(slide.notes_slide.notes_text_frame.text)
            slides.append("\n".join(text.replace("\v", "\n") for text in texts if text.strip()))
        return "\n\n".join(slide for slide in slides if slide)
    except Exception as exc:
        raise ExtractionError("invalid_file", f"The file could not be read as PPTX: {_reason(exc)}") from exc


def _shape_texts(shape: Any) -> list[str]:
    from pptx.shapes.group import GroupShape

    if isinstance(shape, GroupShape):
        return [text for child in shape.shapes for text in _shape_texts(child)]
    if getattr(shape, "has_table", False) and shape.has_table:
        return ["\n".join("\t".join(" ".join(cell.text.split()) for cell in row.cells) for row in shape.table.rows)]
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return [shape.text_frame.text]
    return []


# -- legacy Word ------------------------------------------------------------------------

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _doc(content: bytes) -> str:
    if content.startswith(b"PK\x03\x04"):  # a .docx under a .doc name
        return _docx(content)
    if content.startswith(_OLE_SIGNATURE):
        raise ExtractionError(
            "invalid_file", "Legacy Word (.doc) files cannot be read; save the document as .docx and upload that."
        )
    raise ExtractionError("invalid_file", "The file could not be read as DOC: it is not a Word document.")


def _reason(exc: BaseException) -> str:
    """The exception's message, short and deterministic (no object addresses)."""
    text = re.sub(r"\s*'?<[^<>]* at 0x[0-9a-fA-F]+>'?", "", str(exc))
    text = re.sub(r"IndirectObject\((\d+), (\d+), \d+\)", r"IndirectObject(\1, \2)", text)  # pypdf: id(reader)
    text = re.sub(r":\s*b['\"].*", "", text, flags=re.S)  # pypdf appends raw bytes
    text = " ".join(text.split())
    if len(text) > 200:
        text = text[:197] + "..."
    return text or type(exc).__name__
