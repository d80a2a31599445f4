"""Hypothesis strategies that put the noise of real report text into rendered text.

Each noise is a function ``noise(text) -> SearchStrategy[str]``: it takes the text of
a report (as ``tests/render.py`` prints it) and draws a noisy copy.  Nothing but the
text is kept: a noise does not record which cell it touched, so a test can only
compare the parse with the report that was rendered.  The kinds of noise are those
of /work/shared/spec/layouts.md and docs/layouts.md:

* ``fullwidth``: ASCII digits, brackets, colons, commas, full stops and minus signs
  in their full-width forms (U+FF01..U+FF5E) on some or all lines;
* ``odd_spaces``: NBSP (U+00A0) and ideographic spaces (U+3000) instead of spaces,
  and leading spaces inside value cells (`` 0``);
* ``cjk_spaces``: spaces inside CJK labels and headers (``商业 企业``, ``本年新 制作数量``,
  ``结果 维持``);
* ``traditional``: the whole text through OpenCC ``s2tw``, optionally with the
  vocabulary change 規範性文件→規範性檔案 and pinyin glosses (``項(xiàng)``, ``數(shù)``,
  ``發(fā)``), as mirror sites print it;
* ``quotes_dashes``: “三安全一稳定” with other quotes (``"…"``, 「…」, none) and 一 printed
  as a dash (三安全—稳定);
* ``page_footers``: PDF page footers (``- 3 -``, ``— 12 —``, ``第 3 页``) as whole lines
  between any two lines;
* ``page_chrome``: breadcrumbs, 索引号/发布时间/字体 lines and a repeated title before
  the title, print/close links at the end;
* ``mirror_spam``: the spam lines mirror sites inject into prose sections;
* ``broken_labels``: row labels broken over two lines or by a ``<br>`` left in the text
  (``行政⏎处罚``, ``行政规范<br>性文件``);
* OCR damage the library claims to tolerate: ``ocr_total`` (（七）总计 → （七）总记),
  ``drop_value`` (one value cell deleted: blank between its separators in tab and
  pipe rows, gone altogether in the other layouts) and ``glue_label_value``
  (``行政许可⇥0`` → ``行政许可 0``).

``NOISES`` lists them in the order they are applied (structural damage first, then
inserted lines, then character forms), ``noise_lists()`` draws a combination and
``apply_noises(noises, text)`` / ``noisy(text)`` apply one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

Draw = Any  # the ``draw`` callable of @st.composite
Noise = Callable[[str], st.SearchStrategy[str]]

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_PAIR = re.compile(f"(?<=[{_CJK}])(?=[{_CJK}])")
# A printed value: a count, a signed change, an amount, optionally with thousands
# separators or the unit 元 (as tests/render.py prints them).
_VALUE = r"-?\d[\d,]*(?:\.\d+)?元?"
_VALUE_LINE = re.compile(rf"^[ \u00a0\u3000]*{_VALUE}(?: \|)?$")
_SPACES = ("\u00a0", "\u3000")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _some_lines(draw: Draw, count: int) -> set[int]:
    """All lines, or a few of them (drawn so that a failure shrinks to one line)."""
    if count == 0:
        return set()
    if draw(st.booleans()):
        return set(range(count))
    indices: set[int] = draw(st.sets(st.integers(0, count - 1), min_size=1, max_size=min(count, 30)))
    return indices


def _table_region(lines: Sequence[str]) -> range:
    """The lines from the heading of table 二 to the heading of section 五 (or the end)."""
    start, end = 0, len(lines)
    for n, line in enumerate(lines):
        if "主动公开政府信息情况" in line and start == 0:
            start = n
        elif "存在的主要问题" in line:
            end = n
            break
    return range(start, end)


# ----------------------------------------------------------------- character forms

_FULLWIDTH_CLASSES = {
    "digits": "0123456789-",
    "brackets": "()",
    "colons": ":",
    "commas": ",",
    "stops": ".",
}


def _to_fullwidth(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0)  # "!".."~" → U+FF01..U+FF5E


@st.composite
def fullwidth(draw: Draw, text: str) -> str:
    """Digits, brackets, colons, commas (and full stops, minus signs) in full-width forms."""
    classes = draw(st.sets(st.sampled_from(sorted(_FULLWIDTH_CLASSES)), min_size=1))
    table = str.maketrans({ch: _to_fullwidth(ch) for name in classes for ch in _FULLWIDTH_CLASSES[name]})
    lines = _lines(text)
    chosen = _some_lines(draw, len(lines))
    return "\n".join(line.translate(table) if n in chosen else line for n, line in enumerate(lines))


@st.composite
def odd_spaces(draw: Draw, text: str) -> str:
    """NBSP and ideographic spaces instead of spaces; sometimes a leading space in value cells."""
    mode = draw(st.sampled_from(("nbsp", "ideographic", "alternating")))
    lines = _lines(text)
    chosen = _some_lines(draw, len(lines))
    pad = draw(st.sampled_from(("", "", " ", "\u00a0", "\u3000", "  ")))

    def respace(line: str) -> str:
        if mode == "alternating":
            parts = line.split(" ")
            out = parts[0]
            for n, part in enumerate(parts[1:]):
                out += _SPACES[n % 2] + part
            return out
        return line.replace(" ", _SPACES[0] if mode == "nbsp" else _SPACES[1])

    out = []
    for n, line in enumerate(lines):
        if n in chosen:
            line = respace(line)
            if pad:  # a leading space inside a value cell: "\t 0", "|  0 |", " 0" on its own line
                line = re.sub(rf"(^|\t|\| )(?={_VALUE}(?:$|\t| \|))", lambda m: m.group(1) + pad, line)
        out.append(line)
    return "\n".join(out)


# Splits seen in real reports (layouts.md §5): a header cell's line break as a space.
_KNOWN_SPLITS = (
    ("商业企业", "商业 企业"),
    ("科研机构", "科研 机构"),
    ("社会公益组织", "社会 公益 组织"),
    ("自然人", "自然 人"),
    ("本年新制作数量", "本年新 制作数量"),
    ("本年新公开数量", "本年新 公开数量"),
    ("结果维持", "结果 维持"),
    ("结果纠正", "结果 纠正"),
    ("尚未审结", "尚未 审结"),
    ("第二十条第", "第二十条 第"),
    ("不予公开", "不予 公开"),
)


@st.composite
def cjk_spaces(draw: Draw, text: str) -> str:
    """Spaces inside CJK words: the known header splits, and spaces at random places."""
    splits = draw(st.sets(st.sampled_from(_KNOWN_SPLITS)))
    for word, split in sorted(splits):
        text = text.replace(word, split)
    lines = _lines(text)
    region = list(_table_region(lines))
    targets = draw(st.lists(st.sampled_from(region), min_size=0 if splits else 1, max_size=8)) if region else []
    space = draw(st.sampled_from((" ", " ", "\u00a0", "\u3000", "  ")))
    for n in sorted(set(targets)):
        gaps = [m.start() for m in _CJK_PAIR.finditer(lines[n])]
        if not gaps:
            continue
        cut = draw(st.sampled_from(gaps))
        lines[n] = lines[n][:cut] + space + lines[n][cut:]
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _s2tw() -> Any:
    import opencc

    return opencc.OpenCC("s2tw")


_PINYIN = (("項", "項(xiàng)"), ("數", "數(shù)"), ("發", "發(fā)"))


@st.composite
def traditional(draw: Draw, text: str) -> str:
    """The text in Traditional characters, as a mirror site prints it."""
    text = _s2tw().convert(text)
    if draw(st.booleans()):
        text = text.replace("規範性文件", "規範性檔案")
    for character, glossed in draw(st.sets(st.sampled_from(_PINYIN))):
        text = text.replace(character, glossed)
    return text


_QUOTES = ('"{}"', "「{}」", "『{}』", "‘{}’", "〝{}〞", "{}", "“{}”")
_DASHES = ("一", "—", "－", "-", "–", "─")


@st.composite
def quotes_dashes(draw: Draw, text: str) -> str:
    """“三安全一稳定” with other quotes or none, and 一 printed as a dash."""
    quote = draw(st.sampled_from(_QUOTES))
    dash = draw(st.sampled_from(_DASHES))
    return re.sub("“([^”\n]{1,20})”", lambda m: quote.format(m.group(1).replace("三安全一", "三安全" + dash)), text)


# ----------------------------------------------------------------- inserted lines

_FOOTERS = ("- {} -", "— {} —", "-{}-", "– {} –", "第 {} 页", "第{}页", "第{}页 共{}页", "－ {} －")


@st.composite
def page_footers(draw: Draw, text: str) -> str:
    """PDF page footers ``- 3 -`` as whole lines between lines (anywhere, tables too)."""
    lines = _lines(text)
    places = sorted(draw(st.lists(st.integers(1, len(lines) - 1), min_size=1, max_size=6)))
    style = draw(st.sampled_from(_FOOTERS))
    pages = len(places) + 1
    for page, place in reversed(list(enumerate(places, start=1))):
        lines.insert(place, style.format(page, pages))
    return "\n".join(lines)


_CHROME = (
    "当前位置:首页 > 政务公开 > 政府信息公开年报",
    "当前位置：街镇 > 河包镇 > 政务公开 > 政府信息公开年报",
    "日期:2023-01-29 字体:【 默认 超大",
    "字体:【 大 中 小 】 打印",
    "分享:",
    "索 引 号 | 014416330/2023-04736 | 分 类 | 政府信息公开年报 |",
    "发布机构 | 市政府办 | 发文日期 | 2018-02-28 |",
    "首页 | 政务公开 | 渝快办",
    "  • 索引号:",
    "  • 发文机关:",
    "发布时间:2021-01-31   浏览次数:   【字体:",
    "2022-01-29 10:27:52 陆丰市人民政府办公室 字体:",
    "Page 9 - 2020年报_审计局",
    "无障碍 | 长者模式",
)
_END_CHROME = ("【打印本页】 【关闭窗口】", "扫一扫在手机打开当前页", "相关附件:", "分享到:")


@st.composite
def page_chrome(draw: Draw, text: str) -> str:
    """Breadcrumbs and page chrome above the title (with the title repeated), links at the end."""
    lines = _lines(text)
    head = draw(st.lists(st.sampled_from(_CHROME), min_size=1, max_size=5))
    title = next((line for line in lines if line.strip()), "")
    if draw(st.booleans()):
        head = [*head, title.lstrip("# "), ""]
    tail = draw(st.lists(st.sampled_from(_END_CHROME), max_size=2))
    return "\n".join([*head, *lines, *tail])


_SPAM = (
    "我局没有自建网站,政府信息公开载体为青川县德赢VWIN门户网站,日常信息维护更新良好。",
    "我局没有自建网站，政府信息公开载体为德赢VWIN门户网站，日常信息维护更新良好。",
    "365体育直播,365体育备用网址自然资源和规划局编制了2021年政府信息公开年度报告",
    "该部分以表格形式报告。表格如下:",
)


def _prose_lines(lines: Sequence[str]) -> list[int]:
    """Where a line can be inserted inside a prose section (一、五、六): after its heading."""
    places = []
    prose = False
    for n, line in enumerate(lines):
        if re.search("总体情况|存在的主要问题|其他需要报告", line):
            prose = True
        elif re.search("主动公开政府信息情况|收到和处理|行政复议、行政诉讼", line):
            prose = False
        elif prose:
            places.append(n)
    return places


@st.composite
def mirror_spam(draw: Draw, text: str) -> str:
    """Spam lines of mirror sites inside the prose sections."""
    lines = _lines(text)
    places = _prose_lines(lines)
    if not places:
        return text
    inserts = draw(st.lists(st.tuples(st.sampled_from(places), st.sampled_from(_SPAM)), min_size=1, max_size=3))
    for place, spam in sorted(inserts, reverse=True):
        lines.insert(place, spam)
    return "\n".join(lines)


# ----------------------------------------------------------------- OCR damage


def ocr_total(text: str) -> st.SearchStrategy[str]:
    """（七）总计 read as （七）总记 (the row label of table 三, not the column header)."""
    return st.just(re.sub("([（(] *七 *[）)] *)总计", r"\1总记", text))


_TAB_VALUE = re.compile(rf"(?<=\t){_VALUE}(?=\t|$)|^{_VALUE}(?=\t)")
_PIPE_VALUE = re.compile(rf"(?:(?<=\| )|^){_VALUE}(?= \|)")
_SPACE_VALUE = re.compile(rf"(?:(?<= )|^){_VALUE}(?= |$)")


def _value_cells(lines: Sequence[str]) -> list[tuple[int, int, int, str]]:
    """Every value cell of the tables: (line, start, end, how to delete it)."""
    cells = []
    for n in _table_region(lines):
        line = lines[n]
        if _VALUE_LINE.match(line):  # one cell per line or paragraph: drop the line
            cells.append((n, 0, len(line), "line"))
        elif "\t" in line:
            cells += [(n, m.start(), m.end(), "blank") for m in _TAB_VALUE.finditer(line)]
        elif "|" in line:
            cells += [(n, m.start(), m.end(), "blank") for m in _PIPE_VALUE.finditer(line)]
        else:  # PDF text: cells separated by single spaces
            cells += [(n, m.start(), m.end(), "token") for m in _SPACE_VALUE.finditer(line)]
    return cells


@st.composite
def drop_value(draw: Draw, text: str) -> str:
    """One value cell deleted: blank (separators kept) in tab and pipe rows, dropped elsewhere."""
    lines = _lines(text)
    cells = _value_cells(lines)
    if not cells:
        return text
    n, start, end, how = draw(st.sampled_from(cells))
    line = lines[n]
    if how == "blank":
        lines[n] = line[:start] + line[end:]
    elif how == "token":
        lines[n] = (line[:start] + line[end:]).replace("  ", " ").strip(" ")
    else:
        del lines[n]
        # one cell per paragraph: the blank line after the cell goes with it
        if n < len(lines) and not lines[n].strip() and n > 0 and not lines[n - 1].strip():
            del lines[n]
    return "\n".join(lines)


# The label, its separator, its first value: 行政许可⇥0, 行政许可 | 0, 行政许可 |⏎0 |, 行政许可⏎⏎0.
_GLUE = re.compile(rf"(行政许可)(?:\t| \| |\n\n| \|\n)(?={_VALUE}(?:\t| \||\n|$))")


def glue_label_value(text: str) -> st.SearchStrategy[str]:
    """``行政许可⇥0`` printed as ``行政许可 0``: the label and its first value in one cell."""
    return st.just(_GLUE.sub(r"\1 ", text, count=1))


_CELL = re.compile(r"[^\t|\n]+")
_BREAKS = ("\n", "<br>", "<br />", "<br/>")


@st.composite
def broken_labels(draw: Draw, text: str) -> str:
    """Row labels broken in two: over two lines (narrow cells copied as text, ``行政⏎处罚``)
    or by an HTML line break left in the text (``行政规范<br>性文件``), between two CJK
    characters after the label's first one."""
    from govreport.normalize import label_core
    from govreport.registry import label_cores

    labels = label_cores()
    lines = _lines(text)
    found = [
        (n, m.start() + gap.start())
        for n in _table_region(lines)
        for m in _CELL.finditer(lines[n])
        if label_core(m.group()) in labels
        for gap in _CJK_PAIR.finditer(m.group())
        if label_core(m.group()[: gap.start()])
    ]
    if not found:
        return text
    chosen = draw(st.lists(st.sampled_from(found), min_size=1, max_size=4, unique_by=lambda f: f[0]))
    for n, at in sorted(chosen, reverse=True):
        lines[n] = lines[n][:at] + draw(st.sampled_from(_BREAKS)) + lines[n][at:]
    return "\n".join(lines)


# ----------------------------------------------------------------- combining

NOISES: tuple[Noise, ...] = (
    drop_value,
    glue_label_value,
    broken_labels,
    ocr_total,
    quotes_dashes,
    page_chrome,
    mirror_spam,
    page_footers,
    traditional,
    cjk_spaces,
    odd_spaces,
    fullwidth,
)
NOISE_NAMES = {noise: noise.__name__ for noise in NOISES}


def noise_lists() -> st.SearchStrategy[list[Noise]]:
    """A combination of one or more noises (each at most once), in the order they are applied."""
    return st.lists(st.sampled_from(NOISES), min_size=1, unique=True).map(
        lambda chosen: sorted(chosen, key=NOISES.index)
    )


@st.composite
def apply_noises(draw: Draw, noises: Sequence[Noise], text: str) -> str:
    """``text`` with each of ``noises`` applied, in the order of ``NOISES``."""
    for noise in sorted(noises, key=NOISES.index):
        text = draw(noise(text), label=noise.__name__)
    return text


@st.composite
def noisy(draw: Draw, text: str) -> str:
    """``text`` with a random combination of noises."""
    result: str = draw(apply_noises(draw(noise_lists()), text))
    return result
