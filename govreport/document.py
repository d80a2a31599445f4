"""The report's metadata (title, agency, year, signature), from its own lines.

The sections are found by ``sections.py``; this module reads the preamble it leaves and the
end of the text.

The metadata comes from the report's own lines, not from the web page around it.  Pages
print the report inside page chrome: breadcrumbs (``当前位置:首页 > 政务公开 > …``), navigation
bars (``首页 | 政务公开 | 渝快办``, ``关怀版 无障碍``), field lines (``标题:``, ``来源:``,
``发布机构:``, ``发布日期:``, ``索引号:``, ``浏览次数:`` …), flip-book page marks (``Page 9 - …``)
and closing links (``[打印本页] [关闭窗口]``).  A field names the web page's publisher and date,
not the report's agency and signature, so none is used; the one exception is the title printed
in a ``标题:`` field, used (with a ``meta-from-chrome`` diagnostic) only when the report prints
no title line of its own.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence

from attrs import frozen
from lark import Token

from .model import Meta, Section

# ----------------------------------------------------------------- dates

# A signature prints its date as ``2025年1月20日``, in Chinese numerals (``二〇二五年一月二十日``,
# ``二○二五年元月二十日``) or as ``2025-01-20`` / ``2025.1.20`` / ``2025/1/20``.  A printed date
# that is not a calendar date (``2025年2月30日``, ``2025年13月1日``) is not read as any other date.
_ZEROS = "〇○零O0"  # 〇 (U+3007), ○ (U+25CB) and a Latin O / digit 0 typed in its place
_DIGITS = {**dict.fromkeys(_ZEROS, 0), **{c: i for i, c in enumerate("一二三四五六七八九", start=1)}}
_CN = "一二三四五六七八九十廿卅元"

DATE = re.compile(
    r"(?P<y>\d{2,4}) ?年 ?(?P<m>\d{1,2}) ?月 ?(?P<d>\d{1,2}) ?日"
    rf"|(?P<cy>[{_ZEROS}一二三四五六七八九]{{2,4}}) ?年"
    rf" ?(?P<cm>[{_CN}{_ZEROS}]{{1,3}}) ?月 ?(?P<cd>[{_CN}{_ZEROS}]{{1,4}}) ?日"
    r"|(?P<iy>\d{4})(?P<sep>[-./])(?P<im>\d{1,2})(?P=sep)(?P<id>\d{1,2})(?!\d)"
)
"""Anything printed like a date, well-formed or not (``read_date`` says which)."""

EARLIEST, LATEST = 2000, 2099  # the years a report of the 2007/2019 条例 can be signed in


@frozen
class PrintedDate:
    """A date as printed: ``iso`` when it is a calendar date, else ``problem`` says why not."""

    text: str
    iso: str | None
    problem: str = ""


def _small(text: str, *, month: bool) -> int | None:
    """一 … 三十一 (and 廿/卅, 元 for the first month) → int; anything else → None."""
    if month and text == "元":
        return 1
    text = text.replace("廿", "二十").replace("卅", "三十")
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 and _DIGITS.get(text) else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or (tens and not _DIGITS.get(tens)) or (units and not _DIGITS.get(units)):
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def _chinese_year(text: str) -> int | None:
    """二〇二五 → 2025: one numeral per digit."""
    if len(text) != 4 or text[0] in _ZEROS:
        return None
    return int("".join(str(_DIGITS[c]) for c in text))


def read_date(match: re.Match[str]) -> PrintedDate:
    """The date a ``DATE`` match prints, checked against the calendar."""
    groups = match.groupdict()
    if groups["y"] is not None:
        year: int | None = int(groups["y"]) if len(groups["y"]) == 4 else None
        month: int | None = int(groups["m"])
        day: int | None = int(groups["d"])
    elif groups["cy"] is not None:
        year = _chinese_year(groups["cy"])
        month, day = _small(groups["cm"], month=True), _small(groups["cd"], month=False)
    else:
        year, month, day = int(groups["iy"]), int(groups["im"]), int(groups["id"])
    text = match.group(0)
    if year is None or month is None or day is None:
        return PrintedDate(text, None, "its numerals are not a well-formed year, month and day")
    if not EARLIEST <= year <= LATEST:
        return PrintedDate(text, None, f"the year {year} is outside {EARLIEST}–{LATEST}")
    if not 1 <= month <= 12:
        return PrintedDate(text, None, f"there is no month {month}")
    try:
        return PrintedDate(text, datetime.date(year, month, day).isoformat())
    except ValueError:
        return PrintedDate(text, None, f"there is no day {day} in month {month} of {year}")


# ----------------------------------------------------------------- metadata

Reporter = Callable[..., None]
"""``report(code, message, token=None, raw="", keys=(), severity="warning")``, as the pipeline's."""

_FIELD_NAMES = (
    "标题|文章标题|题名|名称|来源|信息来源|发布机构|发文机关|发文单位|发布单位|发布人|作者|责任编辑|编辑"
    "|发布日期|发布时间|发文日期|成文日期|生成日期|更新时间|日期|时间|索引号|文号|发文字号|主题分类|体裁分类"
    "|组配分类|分类|主题词|关键词|公开方式|公开范围|公开时限|公开形式|有效性|信息类别|所属主题"
    "|浏览次数|访问量|访问次数|阅读次数|点击数|点击量|浏览量|阅读量|字号|字体"
)
_FIELD_NAME = "(?:" + "|".join(" ?".join(name) for name in _FIELD_NAMES.split("|")) + ")"
# ``来源:``, or ``索引号 | …`` in a table; anywhere in the line, as normalisation glues a field
# to the text before it (``陆丰市人民政府办公室字体:``).  A title prints no colon.
_FIELD = re.compile(rf"{_FIELD_NAME}\s*[:|]")
_CHROME_TITLE = re.compile(r"^[\s•·\[(]*(?:标 ?题|文章标题|题 ?名|名 ?称)\s*[:|]\s*(?P<title>.*)$")
_BREADCRUMB = re.compile(r"位置\s*[:>]|[>›»→]")
_NAV_WORDS = re.compile(
    r"首页|无障碍|关怀版|长者模式|适老|繁體|简体|English|登录|注册|网站地图|设为首页|加入收藏|打印|关闭窗口"
    r"|分享|收藏|扫一扫|返回顶部|上一篇|下一篇|相关附件|附件下载|版权所有|ICP|网站标识码|主办单位|承办单位"
    r"|技术支持|联系我们"
)
_PAGE_MARK = re.compile(r"^(?:Page|P\.) ?\d+\b|^第 ?\d+ ?页|^[-—–] ?\d+ ?[-—–]$")
_SENTENCE = re.compile(r"[。,;:!?]")

_TITLE = re.compile(r"年度?报告|年报")
_YEAR = re.compile(r"((?:19|20)\d\d) ?年度?")
_AGENCY_END = re.compile(r"(?:政府|局|委|办|院|室|处|镇|乡|街道|区|厅|部|会|中心|署|所|站|队|馆|公司)$")
# Words a title or signature uses in place of a name: not an agency.
_NOT_AN_AGENCY = frozenset("政府 本机关 本单位 本部门 本局 我局 我委 我办 我单位 我镇 我乡".split())
_AFTER_AGENCY = re.compile(r"政府信息公开|政务公开|信息公开|政府信息|工作年度报告|年度报告|年报")
_PERIOD = re.compile(
    r"((?:19|20)\d\d) ?年 ?0?1 ?月 ?0?1 ?日 ?起? ?(?:至|到|-|—|~) ?(?:(?:19|20)\d\d ?年 ?)?12 ?月 ?31 ?日"
)
_SIGNATURE = re.compile(rf"^(?P<by>.*?)\s*\(?(?P<date>{DATE.pattern})\)?$")
_TITLE_LINES = 15  # the title is among the first lines of the preamble that are not page chrome
_TAIL_CHROME = 20  # how many chrome lines after the signature are skipped to find it


def is_page_chrome(line: str) -> bool:
    """A line of web-page chrome (breadcrumb, navigation, page field, page mark), not of the report."""
    line = line.strip()
    if not line:
        return False
    return bool(
        _FIELD.search(line)
        or _BREADCRUMB.search(line)
        or "|" in line
        or _PAGE_MARK.search(line)
        or (_NAV_WORDS.search(line) and len(line) <= 40 and "。" not in line)
    )


def _closing_chrome(line: str) -> bool:
    """Chrome after the report (``[打印本页] [关闭窗口]``, ``首页 | 网站地图``); a table row is not."""
    return is_page_chrome(line) and ("|" not in line or bool(_NAV_WORDS.search(line)))


def _clean(line: str) -> str:
    """A line without Markdown marks, quotes and the spaces normalisation leaves around digits."""
    line = line.strip().strip("#*>_ ").strip("《》“”\"'").strip()
    return re.sub(r"(?<=\d) (?=年)|(?<=[\u3400-\u9fff]) (?=\d)|(?<=\d) (?=[\u3400-\u9fff])", "", line)


def _looks_like_agency(line: str) -> bool:
    return 2 <= len(line) <= 40 and not _SENTENCE.search(line) and bool(_AGENCY_END.search(line))


def _titleish(line: str) -> bool:
    return bool(_TITLE.search(line)) and len(line) <= 60 and not _SENTENCE.search(line)


def _agency_and_year(title: str) -> tuple[str, int | None]:
    """``XX局2024年…报告`` → (``XX局``, 2024); ``2024年XX局政府信息公开…`` → the same."""
    match = _YEAR.search(title)
    if match:
        agency = re.sub(r"关于$", "", title[: match.start()].strip())
        if not agency:
            agency = _AFTER_AGENCY.split(title[match.end() :])[0]
        year: int | None = int(match.group(1))
    else:
        parts = _AFTER_AGENCY.split(title)
        agency, year = (parts[0] if len(parts) > 1 else ""), None
    agency = agency.strip(" _-—:")
    return ("" if agency in _NOT_AN_AGENCY else agency), year


def _join_title(lines: Sequence[str], i: int) -> tuple[str, int]:
    """The title whose 报告 line is ``lines[i]``, with the line(s) it continues; and its first line."""
    title, first = lines[i], i
    previous = lines[first - 1] if first > 0 else ""
    # "西咸新区底张街道办事处2023年度政府 / 信息公开工作年度报告", "2024年上海市科委政府信息公开工作 / 年度报告"
    if (
        previous
        and not _YEAR.search(title)
        and _YEAR.search(previous)
        and not _TITLE.search(previous)
        and not DATE.search(previous)
        and len(previous) <= 40
        and not _SENTENCE.search(previous)
    ):
        title, first = previous + title, first - 1
        previous = lines[first - 1] if first > 0 else ""
    # "洪泽区人民政府 / 2023年政府信息公开工作年度报告"
    year = _YEAR.search(title)
    if (
        previous
        and year
        and not _agency_and_year(title)[0]
        and _looks_like_agency(previous)
        and not _YEAR.search(previous)
        and not _TITLE.search(previous)
    ):
        title, first = previous + title, first - 1
    return title, first


def _find_title(lines: Sequence[str]) -> tuple[str, int]:
    """The fullest title among the first lines: one naming the agency and the year wins,
    then one naming either; the first such on a tie.  ``("", -1)`` if there is none."""
    best, best_end, best_score = "", -1, (-1, -1)
    for i, line in enumerate(lines[:_TITLE_LINES]):
        if not _titleish(line):
            continue
        title, _ = _join_title(lines, i)
        agency, year = _agency_and_year(title)
        score = (int(bool(agency)), int(year is not None))
        if score > best_score:
            best, best_end, best_score = title, i, score
    return best, best_end


def _chrome_title(lines: Sequence[str]) -> tuple[str, str]:
    """The title printed in a ``标题:`` page field, and that line."""
    for line in lines[: _TITLE_LINES * 2]:
        match = _CHROME_TITLE.match(line)
        if match:
            title = _clean(_FIELD.split(match["title"])[0].split("|")[0])
            if _TITLE.search(title):
                return title, line
    return "", ""


def _token(text: str, full_text: str, start: int | None = None) -> Token | None:
    """A token for a diagnostic: ``text`` at ``start`` (or its first place in the text)."""
    if start is None:
        start = full_text.find(text)
    if start < 0:
        return None
    return Token("META", text, start_pos=start, end_pos=start + len(text))


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for line in text.split("\n"):
        out.append((start, line))
        start += len(line) + 1
    return out


def _signature(full_text: str) -> tuple[PrintedDate, str, Token | None] | None:
    """The date (and who signed) on the last lines of the report, after any closing page chrome."""
    lines = [(start, line) for start, line in _lines_with_offsets(full_text) if line.strip()]
    skipped = 0
    while (
        lines and skipped < _TAIL_CHROME and (_closing_chrome(lines[-1][1]) or _clean(lines[-1][1]).startswith("附件"))
    ):
        lines.pop()
        skipped += 1
    if not lines:
        return None
    start, last = lines[-1]
    match = _SIGNATURE.match(_clean(last))
    if not match or len(_clean(last)) > 40:
        return None
    by = match["by"].strip()
    if by and not _looks_like_agency(by):  # "本报告发布于2025年1月20日" is prose, not a signature
        return None
    if not by and len(lines) > 1:
        previous = _clean(lines[-2][1])
        by = previous if _looks_like_agency(previous) else ""
    date = read_date(DATE.search(match["date"]))  # type: ignore[arg-type]
    at = last.find(date.text)
    position = _token(date.text, full_text, start + at) if at >= 0 else _token(last, full_text, start)
    return date, by, position


def _dated_under_title(lines: Sequence[str], after: int) -> tuple[PrintedDate, str] | None:
    """``(2026年1月23日)`` printed under the title (and its agency line), as official documents date themselves."""
    for j in range(after + 1, min(after + 3, len(lines))):
        match = re.fullmatch(rf"\((?P<date>{DATE.pattern})\)", lines[j])
        if match:
            by = lines[j - 1] if j - 1 > after and _looks_like_agency(lines[j - 1]) else ""
            return read_date(DATE.search(match["date"])), by  # type: ignore[arg-type]
    return None


def extract_meta(preamble: str, sections: Sequence[Section], full_text: str, report: Reporter | None = None) -> Meta:
    """Title, agency, report year and signature, from the normalised text.

    ``preamble`` is the normalised text before the first section, ``full_text`` the whole
    normalised text (so the values have no stray spaces and ASCII brackets).  ``report``
    receives the ``meta-from-chrome``, ``bad-date`` and ``year-mismatch`` diagnostics
    (see docs/errors.md).  A value the report does not print is simply empty (``""`` or
    ``None``): that is no diagnostic, as a missing signature is none.
    """
    say: Reporter = report if report is not None else (lambda *args, **kwargs: None)
    raw_lines = [ln.strip() for ln in preamble.split("\n") if ln.strip()]
    lines = [_clean(ln) for ln in raw_lines if not is_page_chrome(ln)]
    lines = [ln for ln in lines if ln]
    title, title_line = _find_title(lines)
    if not title:
        title, field = _chrome_title(raw_lines)
        if title:
            say(
                "meta-from-chrome",
                "the report prints no title line; meta.title is the title printed in the web page's "
                f"标题 field: {title}",
                _token(field, full_text),
                keys=("meta.title", "meta.agency", "meta.year"),
                severity="info",
            )
    agency, year = _agency_and_year(title)

    period = _PERIOD.search(full_text)
    if year is None and period:
        year = int(period.group(1))
    elif year is not None and period and int(period.group(1)) != year:
        say(
            "year-mismatch",
            f"the title says {year} but the statistics period starts in {period.group(1)}; meta.year is the title's",
            _token(period.group(0), full_text, period.start()),
            keys=("meta.year",),
        )

    signed_on: str | None = None
    signed_by = ""
    date: PrintedDate | None = None
    position: Token | None = None
    signature = _signature(full_text)
    under = _dated_under_title(lines, title_line) if signature is None and title_line >= 0 else None
    if signature is not None:
        date, signed_by, position = signature
    elif under is not None:
        date, signed_by = under
        position = _token(date.text, full_text)
    if date is not None:
        if date.iso is None:
            say(
                "bad-date",
                f"the signature date {date.text} is not a calendar date ({date.problem}); meta.signed_on is None",
                position,
                keys=("meta.signed_on",),
            )
        else:
            signed_on = date.iso
            if year is not None and date.iso < f"{year}-12-31":
                say(
                    "year-mismatch",
                    f"the report is signed on {date.iso}, before the year {year} it reports on has ended",
                    position,
                    keys=("meta.year", "meta.signed_on"),
                )
    if not agency and _looks_like_agency(signed_by) and signed_by not in _NOT_AN_AGENCY:
        agency = signed_by
        say(
            "meta-from-signature",
            f"the title names no agency; meta.agency is the agency that signed the report: {signed_by}",
            _token(signed_by, full_text, full_text.rfind(signed_by)),
            keys=("meta.agency",),
            severity="info",
        )

    return Meta(title=title, agency=agency, year=year, signed_on=signed_on, signed_by=signed_by)
