"""The provincial report in a real browser: headless Chromium (Debian package ``chromium``).

Both reports (Vietnamese, English) of the Lai Châu example (synthetic data) are rendered
once for the module and opened as a provincial office would: no console error and every
chart loaded, no horizontal overflow at A4 width (the page width, 794 px, and the printed
text width, 180 mm = 680 px), printed to PDF on A4 pages, and no raw identifier (a key of
the label catalogue or of the plan's targets, such as ``forest_cover``) in the visible text
of the Vietnamese report.

Chromium is driven by its command line (``--dump-dom``, ``--print-to-pdf``). The report has
no JavaScript; to measure the page, a copy of it gets a small probe script that records
errors (``error`` events, ``console.error``/``console.warn``) and writes the measures into
the DOM, which ``--dump-dom`` returns. ``.ci/run`` installs Chromium with apt-get when it is
missing; without it these tests fail, saying so.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import ghg_inventory as ghg
from ghg_inventory.i18n import labels
from ghg_inventory.province.completeness import plan_progress
from ghg_inventory.province.indicators import plan_targets
from ghg_inventory.reporting.html_report import write_report

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "lai_chau"
YEAR = 2023
#: one pytest-xdist worker runs the module (make test, --dist loadgroup): its reports are
#: rendered once, not once per worker
pytestmark = pytest.mark.xdist_group("report_browser")
#: A4 at 96 px per inch: 210 mm = 794 px; the text width inside the print margins
#: (15 mm each side, report.css) 180 mm = 680 px.
A4_WIDTH_PX, PRINT_WIDTH_PX, A4_HEIGHT_PX = 794, 680, 1123
#: A4 in PDF points (1/72 in): 595.3 x 841.9
A4_PT = (595.3, 841.9)

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--mute-audio")


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("headless Chromium is needed for the browser tests of the report: install it "
                "(Debian/Ubuntu: apt-get install -y chromium; .ci/run does so)", pytrace=False)


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    command = [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LANG": "C.UTF-8"})
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory,
            lai_chau_inventory: ghg.Inventory) -> dict[str, Path]:
    """Both reports of the example, as ``make demo`` writes them (rendered once; the
    example's inventory is computed once a session, conftest.py)."""
    folder = tmp_path_factory.mktemp("reports")
    inventory = lai_chau_inventory
    progress = plan_progress(EXAMPLE / "observed_indicators.csv").dropna(subset=["observed"])
    indicators = progress.rename(columns={"target": "indicator", "target_value": "target"})[
        ["indicator", "year", "observed", "target", "unit", "target_year"]]
    office = {"vi": "Sở Nông nghiệp và Môi trường tỉnh Lai Châu",
              "en": "Department of Agriculture and Environment, Lai Châu province"}
    return {lang: write_report(inventory, folder / f"report_{lang}.html", year=YEAR,
                               lang=lang, indicators=indicators, office=office[lang],
                               produced=dt.date(2026, 12, 5))
            for lang in ("vi", "en")}


# Records errors from the first line of the page on: resource errors (a chart that does not
# load) are error events seen in the capture phase; console.error/warn calls are wrapped.
PROBE_HEAD = """<script>window.__errors=[];
addEventListener('error',e=>{__errors.push(e.message||('resource not loaded: '+
String((e.target&&(e.target.src||e.target.href))||'?').slice(0,80)))},true);
addEventListener('unhandledrejection',e=>{__errors.push('rejection: '+e.reason)});
for(const k of ['error','warn']){const f=console[k];console[k]=(...a)=>{
__errors.push(k+': '+a.join(' '));f.apply(console,a)}}</script>"""
# After load: the measures, written into the DOM for --dump-dom.
PROBE_TAIL = """<script>addEventListener('load',()=>{const d=document.documentElement;
const wide=[...document.querySelectorAll('body *')].filter(e=>
e.getBoundingClientRect().right>d.clientWidth+1).map(e=>e.tagName+'.'+e.className+
' '+(e.textContent||'').slice(0,40));
const p=document.createElement('pre');p.id='probe';p.textContent=JSON.stringify({
scrollWidth:d.scrollWidth,clientWidth:d.clientWidth,errors:__errors,wide:wide.slice(0,10),
images:[...document.images].filter(i=>!(i.complete&&i.naturalWidth>0)).length,
nimages:document.images.length});document.body.appendChild(p)})</script>"""


def _probe(page: Path, width: int, profile: Path) -> dict[str, object]:
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text  # the report itself runs nothing
    probed = page.with_name(f"{page.stem}_probe_{width}.html")
    probed.write_text(text.replace("<head>", "<head>\n" + PROBE_HEAD, 1)
                      .replace("</body>", PROBE_TAIL + "\n</body>", 1), encoding="utf-8")
    done = _run([f"--window-size={width},{A4_HEIGHT_PX}", "--virtual-time-budget=5000",
                 "--enable-logging=stderr", "--v=0", "--dump-dom", probed.as_uri()], profile)
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"the probe did not run: {done.stderr[-2000:]}"
    result = json.loads(html.unescape(found.group(1)))
    # messages the browser itself logged to the console (the report has no script of its
    # own, and the probe logs nothing)
    result["console"] = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return result


@pytest.fixture(scope="module")
def probed(reports: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    """The probe of a report at a width, loaded once per (language, width) for the module:
    the chart test and the overflow test at A4 width read the same page load (each load
    with a browser profile of its own)."""
    done: dict[tuple[str, int], dict[str, object]] = {}

    def probe(lang: str, width: int) -> dict[str, object]:
        if (lang, width) not in done:
            done[lang, width] = _probe(reports[lang], width,
                                       tmp_path_factory.mktemp("profile"))
        return done[lang, width]

    return probe


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_console_error_and_every_chart_loads(probed, lang: str):
    result = probed(lang, A4_WIDTH_PX)
    assert result["errors"] == [] and result["console"] == []
    assert result["nimages"] == 5 and result["images"] == 0  # five charts, all drawn


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("width", [A4_WIDTH_PX, PRINT_WIDTH_PX])
def test_no_horizontal_overflow_at_a4_width(probed, lang: str, width: int):
    result = probed(lang, width)
    assert result["scrollWidth"] <= result["clientWidth"], result
    assert result["wide"] == [], result["wide"]  # no element past the right edge


def _pdf_pages(pdf: bytes) -> list[tuple[float, ...]]:
    """The MediaBox of every page of a PDF Chromium wrote (page objects are not
    compressed)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([-\d.\s]+?)\s*\]", pdf)
    return [tuple(float(v) for v in box.split()) for box in boxes]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_prints_on_a4_pages(reports: dict[str, Path], lang: str, tmp_path: Path):
    pdf = tmp_path / f"report_{lang}.pdf"
    _run(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", reports[lang].as_uri()],
         tmp_path / "profile")
    data = pdf.read_bytes()
    pages = _pdf_pages(data)
    count = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages and len(pages) == count, (len(pages), count)
    for box in pages:
        x0, y0, x1, y1 = box
        assert abs((x1 - x0) - A4_PT[0]) < 1.5 and abs((y1 - y0) - A4_PT[1]) < 1.5, box
    assert 3 <= count <= 15, count  # the example's report: some pages, not one per table


def _visible_text(dom: str) -> str:
    body = dom[dom.index("<body"):]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_no_raw_identifier_in_the_vietnamese_report(reports: dict[str, Path],
                                                    tmp_path: Path):
    done = _run(["--dump-dom", reports["vi"].as_uri()], tmp_path / "profile")
    text = _visible_text(done.stdout)
    assert "Tỷ lệ che phủ rừng" in text  # the plan section is there, in Vietnamese
    # the identifiers a reader must never see: the catalogue's keys and the plan's targets
    keys = {part for key in labels("vi", "report.") for part in re.split(r"[.]", key)
            if "_" in part} | set(plan_targets().index)
    shown = sorted(k for k in keys if re.search(rf"(?<![\w.-]){re.escape(k)}(?![\w-])", text))
    assert shown == []
    # nor any other snake_case word outside file names (the factor tables, *.csv)
    words = re.findall(r"(?<![\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-]|\.csv)", text)
    assert words == []
    assert not re.search(r"\b(?:nan|NaT|None|percent)\b", text)
    assert not re.search(r"\b(19|20)\d\d\.0\b", text)  # years are whole numbers


def test_the_demo_report_table_shapes(reports: dict[str, Path]):
    # a sanity check of what the browser tests look at: the plan section is a table with a
    # progress bar per target
    page = reports["vi"].read_text(encoding="utf-8")
    plan = re.search(r'<figure id="indicators">(.*?)</figure>', page, re.S)
    assert plan and plan.group(1).count('class="bar"') == len(
        pd.read_csv(EXAMPLE / "observed_indicators.csv", comment="#")["target"].unique())
