"""emulator.retrieval: text extraction from real documents built here (PDF, DOCX, PPTX,
HTML, JSON, code) and chunking invariants (the ranking's scores: test_ranking.py)."""

from __future__ import annotations

import io
import json
import random
import zipfile

import docx
import pptx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx.util import Inches
from pypdf import PdfWriter

from emulator.agent.tokens import TOKEN
from emulator.retrieval import Chunk, ExtractionError, chunk_text, extract_text
from emulator.retrieval.extract import MAX_UNCOMPRESSED_BYTES

# -- documents ----------------------------------------------------------------------------


def make_pdf(pages: list[str]) -> bytes:
    """A minimal PDF, one page per string, its lines in Helvetica."""

    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, text in enumerate(pages):
        ops = " ".join(f"({escape(line)}) Tj T*" for line in text.split("\n")) if text else ""
        stream = f"BT /F1 12 Tf 16 TL 72 720 Td {ops} ET".encode("cp1252")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {5 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Refund policy", level=1)
    document.add_paragraph("Refunds are issued within 14 days.")
    document.add_paragraph("")  # spacing paragraphs are dropped
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["Plan", "Price", "Seats"], ["Basic", "$5", "1"], ["Team", "$20", "10"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = document.add_table(rows=1, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Spanning"
    merged.cell(0, 2).text = "Alone"
    merged.cell(0, 2).add_table(rows=1, cols=1).cell(0, 0).text = "Nested"
    paragraph = document.add_paragraph("Line one")
    paragraph.add_run().add_break()
    paragraph.add_run("line two")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pptx() -> bytes:
    presentation = pptx.Presentation()
    first = presentation.slides.add_slide(presentation.slide_layouts[1])  # title and content
    first.shapes.title.text = "Quarterly results"
    body = first.placeholders[1].text_frame
    body.text = "Revenue grew 12%"
    body.add_paragraph().text = "Costs fell"
    first.notes_slide.notes_text_frame.text = "Mention the new office."
    second = presentation.slides.add_slide(presentation.slide_layouts[6])  # blank
    box = second.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1)).text_frame
    box.text = "First line"
    box.paragraphs[0].add_line_break()
    box.paragraphs[0].add_run().text = "after a break"
    group = second.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(1), Inches(3), Inches(2), Inches(1)).text_frame.text = "Grouped text"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(4), Inches(1)).table
    for r, row in enumerate([["Region", "Sales"], ["North", "40"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    presentation.slides.add_slide(presentation.slide_layouts[6])  # an empty slide
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def failure(filename: str, content: bytes) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        extract_text(filename, content)
    assert info.value.message and str(info.value) == info.value.message
    return info.value


# -- extraction: types ---------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["a.xyz", "photo.png", "archive.tar.gz", "data.csv", "book.xlsx"])
def test_unsupported_types(filename):
    error = failure(filename, b"some text")
    assert error.code == "unsupported_file"
    assert error.message == f"The file type .{filename.rsplit('.', 1)[1]} is not supported for file search."


@pytest.mark.parametrize("filename", ["README", "", "dir.d/Makefile", ".py"])
def test_no_extension_is_unsupported(filename):
    error = failure(filename, b"some text")
    assert error.code == "unsupported_file" and "extension" in error.message


@pytest.mark.parametrize("ext", "txt md tex c cpp cs css go java js php py rb sh ts".split())
def test_text_and_code_files_are_read_as_text(ext):
    source = "def f(x):\n    return {'a': x}  # comment\n"
    assert extract_text(f"src/file.{ext}", source.encode()) == source.rstrip()


def test_extension_is_case_insensitive():
    assert extract_text("NOTES.TXT", b"hello") == "hello"
    assert extract_text("Report.PDF", make_pdf(["Upper case"])) == "Upper case"


# -- extraction: text decoding and normalisation -------------------------------------------


def test_utf8_with_and_without_bom():
    assert extract_text("a.txt", "naïve café €".encode()) == "naïve café €"
    assert extract_text("a.txt", b"\xef\xbb\xbf" + "naïve".encode()) == "naïve"


def test_utf16_and_utf32_with_bom():
    assert extract_text("a.txt", "Grüße\r\nzwei".encode("utf-16")) == "Grüße\nzwei"
    assert extract_text("a.md", "# Überschrift".encode("utf-32")) == "# Überschrift"


def test_legacy_8_bit_text_falls_back():
    assert extract_text("a.txt", b"caf\xe9 \x93quoted\x94") == "café “quoted”"  # Windows-1252
    latin = b"the caf\xe9 menu has an \x81 in it"  # 0x81 is undefined in Windows-1252: Latin-1
    assert extract_text("a.txt", latin) == "the café menu has an \x81 in it"


def test_normalisation():
    raw = b"\n\n  first  \r\nsecond\t \r\n\r\n\r\n\r\n\r\n\r\nthird\rfourth\n\n"
    assert extract_text("a.txt", raw) == "  first\nsecond\n\n\nthird\nfourth"


@pytest.mark.parametrize("content", [b"", b"   ", b"\n\r\n\t \n", "\u3000".encode()])
def test_empty_text_is_invalid(content):
    error = failure("a.txt", content)
    assert (error.code, error.message) == ("invalid_file", "The file contains no text.")


@pytest.mark.parametrize("filename", ["image.txt", "image.md", "image.py", "image.html", "image.json"])
def test_binary_renamed_as_text_is_invalid(filename):
    assert failure(filename, PNG).code == "invalid_file"


def test_random_binary_is_invalid():
    noise = random.Random(7).randbytes(4096)
    assert failure("noise.txt", noise).code == "invalid_file"
    assert failure("noise.txt", b"plain text\x00with a NUL").code == "invalid_file"
    assert failure("control.txt", bytes(range(1, 32)) * 10).code == "invalid_file"


def test_text_with_few_control_characters_is_text():
    assert extract_text("log.txt", b"\x1b[31mred\x1b[0m and a bell\x07 in a line of ordinary text") == (
        "\x1b[31mred\x1b[0m and a bell\x07 in a line of ordinary text"
    )


# -- extraction: HTML ----------------------------------------------------------------------


def test_html_visible_text():
    page = b"""<!DOCTYPE html><html><head><title>Help &amp; support</title>
    <style>p { color: red }</style><script>var hidden = "secret";</script></head>
    <body><h1>Returns</h1><p>Return   items
       within <b>30</b>&nbsp;days.<br>Keep the receipt.</p>
    <!-- a comment --><noscript>Enable JavaScript</noscript>
    <div>First</div><div>Second</div>
    <ul><li>one</li><li>two</ul>
    <table><tr><th>Item</th><th>Days</th></tr><tr><td>Shoes</td><td>60</td></tr></table>
    <pre>  keep
      spacing</pre><template><p>not shown</p></template><p>&lt;end&gt; caf&eacute;</p></body></html>"""
    assert extract_text("page.html", page) == (
        "Help & support\n\n"
        "Returns\n\n"
        "Return items within 30\u00a0days.\nKeep the receipt.\n\n"
        "First\nSecond\n\n"
        "one\ntwo\n\n"
        "Item\tDays\nShoes\t60\n\n"
        "  keep\n      spacing\n\n"
        "<end> café"
    )


def test_html_fragment_and_htm():
    assert extract_text("frag.htm", b"Just <em>inline</em> text") == "Just inline text"
    assert extract_text("unclosed.html", b"<head><title>T</title><body><p>Body text") == "T\n\nBody text"


@pytest.mark.parametrize(
    "content",
    [b"<a " * 200_000, b"<!--" + b"a" * 1_000_000, b"<div>x" * 50_000, b"<![CDATA[" * 100_000],
    ids=["open-tags", "open-comment", "deep", "cdata"],
)
def test_hostile_html_is_parsed_quickly(content):
    # html.parser takes minutes on the first (quadratic); lxml's parser is linear
    try:
        extract_text("hostile.html", content)
    except ExtractionError as error:
        assert error.code == "invalid_file"


def test_html_without_visible_text_is_invalid():
    error = failure("empty.html", b"<html><head><script>alert(1)</script></head><body> </body></html>")
    assert (error.code, error.message) == ("invalid_file", "The file contains no text.")


# -- extraction: JSON ----------------------------------------------------------------------


def test_json_outline():
    document = {
        "name": "Widget",
        "price": 9.5,
        "active": True,
        "tags": ["blue", "small"],
        "size": {"w": 3, "h": None},
        "variants": [{"sku": "W-1", "stock": [1, 2]}, [4, 5]],
        "empty": [],
        "none": {},
        "notes": "two\nlines",
    }
    assert extract_text("w.json", json.dumps(document).encode()) == (
        "name: Widget\nprice: 9.5\nactive: true\ntags:\n  - blue\n  - small\nsize:\n  w: 3\n  h: null\n"
        "variants:\n  - sku: W-1\n    stock:\n      - 1\n      - 2\n  - - 4\n    - 5\n"
        "empty: []\nnone: {}\nnotes: two\n  lines"
    )


def test_json_scalars_and_json_lines():
    assert extract_text("s.json", b'"just a string"') == "just a string"
    assert extract_text("n.json", b"42") == "42"
    assert extract_text("lines.json", b'{"q": "a"}\n{"q": "b"}\n') == "- q: a\n- q: b"


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'{"a": 1,}', b"[" * 100_000 + b"]" * 100_000, b"1" * 10_000, b"{}\n{oops"],
    ids=["syntax", "trailing-comma", "deep", "huge-int", "bad-json-lines"],
)
def test_invalid_json(content):
    error = failure("bad.json", content)
    assert error.code == "invalid_file" and "JSON" in error.message


@pytest.mark.parametrize("content", [b'""', b"{}", b"[]", b"  [ ]  "])
def test_json_without_text(content):
    assert failure("e.json", content).message == "The file contains no text."
    assert extract_text("a.json", b'{"a": ""}') == "a:"


# -- extraction: PDF -----------------------------------------------------------------------


def test_pdf_pages_in_order():
    text = extract_text("report.pdf", make_pdf(["Annual report (2024)\nRevenue rose", "Second page"]))
    assert text == "Annual report (2024)\nRevenue rose\n\nSecond page"


def test_pdf_encrypted():
    def encrypted(password: str) -> bytes:
        writer = PdfWriter(clone_from=io.BytesIO(make_pdf(["Secret plans"])))
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    assert extract_text("open.pdf", encrypted("")) == "Secret plans"
    error = failure("locked.pdf", encrypted("hunter2"))
    assert error.code == "invalid_file" and "encrypted" in error.message


def test_pdf_without_text_is_invalid():
    error = failure("scan.pdf", make_pdf([""]))
    assert (error.code, error.message) == ("invalid_file", "The file contains no text.")


@pytest.mark.parametrize(
    "content",
    [
        b"This is plain text, not a PDF.",
        b"",
        PNG,
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog",
        b"%PDF-1.7\n" + b"\xff" * 64,
    ],
    ids=["text", "empty", "png", "truncated", "garbage"],
)
def test_corrupt_pdf(content):
    error = failure("bad.pdf", content)
    assert error.code == "invalid_file" and "PDF" in error.message


# -- extraction: DOCX ----------------------------------------------------------------------


def test_docx_paragraphs_and_tables():
    assert extract_text("policy.docx", make_docx()) == (
        "Refund policy\n\n"
        "Refunds are issued within 14 days.\n\n"
        "Plan\tPrice\tSeats\nBasic\t$5\t1\nTeam\t$20\t10\n\n"
        "Spanning\tAlone Nested\n\n"
        "Line one\nline two"
    )


@pytest.mark.parametrize(
    "content",
    [b"not a zip", PNG, make_pdf(["pdf"]), make_pptx()[:2000]],
    ids=["text", "png", "pdf", "truncated-zip"],
)
def test_corrupt_docx(content):
    error = failure("bad.docx", content)
    assert error.code == "invalid_file" and "DOCX" in error.message


def test_other_office_types_are_invalid_with_a_deterministic_message():
    error = failure("slides.docx", make_pptx())
    assert error.code == "invalid_file" and error.message.startswith("The file could not be read as DOCX: file is not")
    assert "0x" not in error.message and error.message == failure("slides.docx", make_pptx()).message
    error = failure("text.pptx", make_docx())
    assert error.message.startswith("The file could not be read as PPTX: file is not a PowerPoint file")


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (MAX_UNCOMPRESSED_BYTES + 1))
    assert len(buffer.getvalue()) < 1_000_000
    for filename, kind in (("bomb.docx", "DOCX"), ("bomb.pptx", "PPTX")):
        error = failure(filename, buffer.getvalue())
        assert error.code == "invalid_file" and kind in error.message and "MB" in error.message


# -- extraction: PPTX ----------------------------------------------------------------------


def test_pptx_slides_shapes_tables_groups_notes():
    assert extract_text("deck.pptx", make_pptx()) == (
        "Quarterly results\nRevenue grew 12%\nCosts fell\nMention the new office.\n\n"
        "First line\nafter a break\nGrouped text\nRegion\tSales\nNorth\t40"
    )


@pytest.mark.parametrize("content", [b"not a zip", make_docx(), make_docx()[:1500]], ids=["text", "docx", "truncated"])
def test_corrupt_pptx(content):
    error = failure("bad.pptx", content)
    assert error.code == "invalid_file" and "PPTX" in error.message


# -- extraction: DOC -----------------------------------------------------------------------


def test_legacy_doc_is_invalid_with_advice():
    error = failure("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert error.code == "invalid_file" and ".docx" in error.message
    assert failure("fake.doc", b"hello").code == "invalid_file"


def test_docx_named_doc_is_read():
    assert extract_text("policy.doc", make_docx()).startswith("Refund policy")


# -- extraction: hostile input -------------------------------------------------------------


VALID = {"pdf": make_pdf(["Some text here", "More"]), "docx": make_docx(), "pptx": make_pptx()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ext=st.sampled_from(sorted(VALID)),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.floats(0.05, 1),
)
def test_mangled_documents_fail_cleanly(ext, edits, cut):
    content = bytearray(VALID[ext])
    for where, value in edits:
        content[int(where * len(content))] = value
    content = content[: max(1, int(cut * len(content)))]
    try:
        assert isinstance(extract_text(f"x.{ext}", bytes(content)), str)
    except ExtractionError as error:
        assert error.code == "invalid_file"


@settings(max_examples=60, deadline=None)
@given(ext=st.sampled_from(["txt", "html", "json", "pdf", "docx", "pptx", "doc", "py"]), content=st.binary())
def test_arbitrary_bytes_fail_cleanly(ext, content):
    try:
        assert isinstance(extract_text(f"x.{ext}", content), str)
    except ExtractionError as error:
        assert error.code == "invalid_file"


# -- chunking ------------------------------------------------------------------------------


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


@pytest.mark.parametrize(
    ("max_tokens", "overlap"), [(99, 0), (4097, 0), (100, 51), (100, -1), (800, 401), (0, 0), (100.0, 0), (True, 0)]
)
def test_chunking_limits(max_tokens, overlap):
    with pytest.raises(ValueError):
        chunk_text("text", max_tokens, overlap)


def test_chunking_edges_of_the_limits_are_allowed():
    assert chunk_text("a b", 100, 50) == chunk_text("a b", 4096, 2048) == [Chunk("a b", 0, 3, 2)]


def test_auto_strategy():
    assert chunk_text("") == chunk_text(" \n\t ") == []
    assert chunk_text("  Hello, world!  ") == [Chunk("Hello, world!", 2, 15, 4)]
    text = words(1200)
    chunks = chunk_text(text)
    assert [c.tokens for c in chunks] == [800, 800]
    assert chunks[0].text == words(800) and chunks[1].text == text[text.index("w400") :]
    assert [c.tokens for c in chunk_text(words(1201))] == [800, 800, 401]
    assert [c.tokens for c in chunk_text(words(800))] == [800]


def test_no_overlap_partitions_the_tokens():
    chunks = chunk_text(words(250), 100, 0)
    assert [c.tokens for c in chunks] == [100, 100, 50]
    assert [TOKEN.findall(c.text) for c in chunks] == [words(250).split()[i : i + 100] for i in (0, 100, 200)]


TOKENS = st.one_of(st.from_regex(r"\w{1,6}", fullmatch=True), st.sampled_from(list(".,;:!?()'\"-€→")))
SEPARATORS = st.sampled_from(["", " ", "  ", "\n", "\n\n", "\t", " \n "])


@settings(max_examples=150, deadline=None)
@given(
    pieces=st.lists(st.tuples(SEPARATORS, TOKENS), max_size=700),
    tail=SEPARATORS,
    max_tokens=st.integers(100, 260),
    data=st.data(),
)
def test_chunk_invariants(pieces, tail, max_tokens, data):
    overlap = data.draw(st.integers(0, max_tokens // 2), label="overlap")
    text = "".join(sep + token for sep, token in pieces) + tail
    tokens = [m.span() for m in TOKEN.finditer(text)]
    chunks = chunk_text(text, max_tokens, overlap)
    assert chunks == chunk_text(text, max_tokens, overlap)  # deterministic
    if not tokens:
        assert chunks == []
        return
    assert chunks[0].start == tokens[0][0] and chunks[-1].end == tokens[-1][1]  # covers everything
    position = 0  # index of each chunk's first token
    for n, chunk in enumerate(chunks):
        assert chunk.text == text[chunk.start : chunk.end]
        assert 1 <= chunk.tokens <= max_tokens
        first = next(i for i, span in enumerate(tokens) if span[0] == chunk.start)
        assert first == position
        assert tokens[first + chunk.tokens - 1][1] == chunk.end  # ends at a token's end
        assert len(TOKEN.findall(chunk.text)) == chunk.tokens  # the slice re-tokenises the same
        if n:
            previous = chunks[n - 1]
            assert previous.tokens == max_tokens  # only the last chunk is short
            assert chunk.start < previous.end < chunk.end  # overlaps, then goes further
            shared = sum(1 for span in tokens if chunk.start <= span[0] and span[1] <= previous.end)
            assert shared == overlap
        position += max_tokens - overlap
    assert chunks[-1].end == tokens[-1][1]
    assert len(chunks) == 1 or chunks[-2].end < tokens[-1][1]  # stops as soon as the end is reached
