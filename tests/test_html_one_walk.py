"""The HTML reader's one walk of the Lexbor tree (issue 19, part 3): cells read in the walk,
layout tables found without asking each table for the tables inside it, and the limits'
pre-scan that finds the tags of a page with one regular expression.

Expected texts are read off the markup of each test by hand.
"""

from __future__ import annotations

import time

import pytest

from govreport import UnreadableFileError

pytest.importorskip("selectolax")

from govreport.readers.html import _RAW_TEXT, MAX_DEPTH, _open_elements, html_to_placed_text, html_to_text


def _cells(cells: str) -> str:
    return html_to_text(f"<table><tr>{cells}</tr></table>")


@pytest.mark.parametrize(
    ("cells", "line"),
    [
        ("<td><p><span>12</span></p></td><td>3</td>", "12\t3"),  # the usual cell: one text under <p><span>
        ("<td><p><span>2<br>0</span></p></td><td>3</td>", "2 0\t3"),  # <br>: two numbers, never 20
        ("<td><div>1</div><div>2</div></td><td>3</td>", "1 2\t3"),  # two blocks: two numbers
        ("<td><p>商</p><p>业</p></td><td>3</td>", "商业\t3"),  # a label wrapped in its cell
        ("<td><p><span> 商\n业 </span></p></td><td>3</td>", "商 业\t3"),  # a line break in one text is a space
        ("<td><p><span></span></p></td><td>3</td>", "\t3"),  # nothing printed: a blank, not a lost cell
        ("<td><p><script>7</script></p></td><td>3</td>", "\t3"),  # a script is no text
        ("<td><p><!-- 7 --></p></td><td>3</td>", "\t3"),
    ],
)
def test_a_cell_reads_the_same_whatever_wraps_its_text(cells: str, line: str) -> None:
    assert _cells(cells) == line


def test_layout_tables_around_sibling_data_tables() -> None:
    """Table 1 holds tables 2 and 4 (each in a chain of <div>s), and table 2 holds table 3: 1 and 2
    are layout, 3 and 4 data, numbered as document.querySelectorAll("table") lists them."""
    page = (
        "<table><tr><td><div><div>"
        "<table><tr><td>导航<table><tr><td>规章</td><td>1</td></tr></table></td></tr></table>"
        "</div><div><table><tr><td>行政许可</td><td>2</td></tr></table></div>"
        "</div></td></tr></table>"
    )
    text, origins = html_to_placed_text(page)
    assert text.splitlines() == ["导航", "规章\t1", "行政许可\t2"]
    places = {
        text[start:end]: (origin.table, origin.row, origin.column)
        for start, end, origin in zip(origins.starts, origins.ends, origins.places, strict=True)
    }
    assert places == {"规章": (3, 1, 1), "1": (3, 1, 2), "行政许可": (4, 1, 1), "2": (4, 1, 2)}


def test_a_comment_opened_in_a_script_hides_no_tags_from_the_limits() -> None:
    """``<!--`` inside a script is script text: the script ends at ``</script>`` and the
    ``<div>``s after it are counted.  (Read as a comment running to the end, it hid them, and
    Lexbor then spent seconds on 45,000 nested elements.)"""
    page = "<html><body><script>var s = '<!--';</script>" + "<div>" * 45_000 + "x"
    assert _open_elements(page) > MAX_DEPTH
    start = time.perf_counter()
    with pytest.raises(UnreadableFileError, match="nesting more than 512"):
        html_to_text(page)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("page", "depth"),
    [
        ("<html><head><title><div><div></title></head><body><div>x</div></body></html>", 3),  # html body div
        ("<body><textarea><div><div><div></textarea><div><div>", 3),  # body div div
        ("<body><!-- <div><div><div> --><div>", 2),
        ("<body><plaintext><div><div><div>", 1),  # the rest of the page is text
        ("<BODY><DIV><Div></div></DIV>", 3),  # names in any case
        ("<body><scriptx><div>", 3),  # no script: an unknown element
    ],
)
def test_the_pre_scan_counts_open_elements(page: str, depth: int) -> None:
    assert _open_elements(page) == depth


@pytest.mark.parametrize("name", sorted(_RAW_TEXT))
def test_the_content_of_a_raw_text_element_is_text(name: str) -> None:
    """body, then the one <div> after the element's end tag: the tags inside it are no tags."""
    assert _open_elements(f"<body><{name}><div><div><div></{name.upper()}><div>") == 2
    # another name is an unknown element: its <div>s count, and its end tag closes nothing past them
    assert _open_elements(f"<body><{name}x><div><div><div></{name}x><div>") == 6
