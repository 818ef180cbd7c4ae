"""The documentation's shell and Python blocks run, and the output they show is the real one.

Every fenced ``sh`` / ``bash`` / ``console`` / ``python`` block of README.md and docs/**/*.md is
run, page by page in order, in a temporary working directory holding copies of
``examples/lai_chau`` (as ``lai_chau/`` and ``examples/lai_chau/``: the guides' and the README's
paths); nothing is written into the repository. ``ghg-inventory`` and ``python`` are the venv's.
The output a block shows is the next fence after it (blank lines only between) whose info
string is empty or ``text`` and has no ``title``; ``console`` blocks show it inline (``$ ``
lines are the commands). It is compared with the real output (stdout and stderr together):

- lines by content: box-drawing characters and runs of whitespace count as one space;
- numbers exactly, as numbers: ``8,508.625`` = ``8508.625`` = ``8.508,625`` (Vietnamese
  formatting) = ``8.508625e+03``; dates and times (``2026-11-29 08:12``) stand for any;
- order kept: a shown block is the whole output, unless a line ``...`` (or ``…``) marks a gap;
  ``...`` inside a line stands for any text (columns left out of an excerpt).

Other conventions:

- a block with ``title="name"`` (``text`` or ``python``) is a file the page asks the reader to
  write: it is written into the working directory, not run;
- ``<!-- file: NAME -->`` on the line before a ``text`` block: the block is an excerpt of the
  file NAME the commands before it wrote (``<!-- file: NAME.xlsx, sheet: SHEET -->``: the
  sheet's rows, non-empty cells joined by `` | ``); compared the same way;
- ``<!-- illustrative: why -->`` on the line before a fence (or ``illustrative`` in its info
  string) leaves the block, and the output after it, unrun. Keep it rare and say why.

Speed: ``ghg-inventory`` and ``python FILE`` / ``python -c`` are served by a fork server that
imported the library once (each call is a fresh fork of it, with the block's cwd, environment
and standard streams); ``DOCS_BLOCKS_FORKSERVER=0`` runs the venv's executables directly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "lai_chau"
VENV_BIN = Path(sys.executable).parent
PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").rglob("*.md")
                                     if p.name != "defaults.md")]  # defaults.md: generated
SHELL = {"sh", "bash", "shell", "console"}
PYTHON = {"python", "py", "pycon"}
OUTPUT = {"", "text", "output"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)(?P<info>.*)$")
MARK = re.compile(r"^\s*<!--\s*(?P<kind>illustrative|file)\s*:?\s*(?P<arg>.*?)\s*-->\s*$")
TIMEOUT = 300
COLUMNS = 120  # the outputs shown are those of a 120-column terminal


# ---------------------------------------------------------------------------- parsing

@dataclass
class Block:
    page: Path
    line: int                      # 1-based line of the opening fence
    lang: str
    info: str
    text: str
    mark: tuple[str, str] | None = None   # ("illustrative", why) | ("file", spec)
    output: Block | None = None           # the block showing this one's output
    is_output: bool = False

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def title(self) -> str | None:
        found = re.search(r'title="([^"]+)"', self.info)
        return found.group(1) if found else None

    @property
    def illustrative(self) -> bool:
        return (self.mark is not None and self.mark[0] == "illustrative") or \
            "illustrative" in self.info.split()


def parse(page: Path) -> list[Block]:
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    last_end = -10
    i = 0
    while i < len(lines):
        found = FENCE.match(lines[i])
        if not found:
            i += 1
            continue
        indent, fence = found.group("indent"), found.group("fence")
        j = i + 1
        while j < len(lines) and not (lines[j].strip().startswith(fence)
                                      and lines[j].strip().strip(fence[0]) == ""):
            j += 1
        body = textwrap.dedent("\n".join(
            x[len(indent):] if x.startswith(indent) else x for x in lines[i + 1:j]))
        mark = MARK.match(lines[i - 1]) if i > 0 else None
        block = Block(page, i + 1, found.group("lang").lower(), found.group("info").strip(),
                      body + "\n", (mark.group("kind"), mark.group("arg")) if mark else None)
        previous = blocks[-1] if blocks else None
        between = lines[last_end + 1:i]
        if (previous is not None and previous.output is None and not previous.is_output
                and previous.lang in SHELL | PYTHON and previous.lang != "console"
                and previous.title is None and block.lang in OUTPUT and block.title is None
                and block.mark is None and all(not x.strip() for x in between)):
            previous.output = block
            block.is_output = True
        blocks.append(block)
        last_end = j
        i = j + 1
    return blocks


# ---------------------------------------------------------------------------- comparing

BOX = re.compile(r"[\u2500-\u257f]")
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}"
                   r"(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:?\d{2}|Z)?)?")
TOKEN = re.compile(r"<DATE>|[-+]?\d[\d.,]*\d(?:[eE][-+]?\d+)?|[-+]?\d(?:[eE][-+]?\d+)?|\.\.\.|…"
                   r"|[,;:|()\[\]]|[^\s\d.…,;:|()\[\]]+|\.")
GAP = {"...", "…"}


def normalise(line: str) -> str:
    line = STAMP.sub("<DATE>", BOX.sub(" ", line.replace("\ufeff", "")))
    return " ".join(line.split())


def tokens(line: str) -> list[str]:
    return TOKEN.findall(line)


def _number(token: str, decimal: str) -> float | None:
    thousands = "," if decimal == "." else "."
    body = token.lstrip("+-")
    if not body[:1].isdigit():
        return None
    found = re.fullmatch(r"([\d.,]+?)(?:[eE]([-+]?\d+))?", body)
    if not found:
        return None
    mantissa, exponent = found.group(1), found.group(2)
    if mantissa.count(decimal) > 1:
        return None
    whole, _, fraction = mantissa.partition(decimal)
    groups = whole.split(thousands)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3
                            or any(len(g) != 3 for g in groups[1:])):
        return None
    if thousands in fraction:
        return None
    value = float("".join(groups) + ("." + fraction if fraction else "")
                  + ("e" + exponent if exponent else ""))
    return -value if token.startswith("-") else value


def _values(token: str) -> set[float]:
    """The token's value as a number, read as 1,234.5 and as 1.234,5 (what either admits)."""
    return {v for v in (_number(token, "."), _number(token, ",")) if v is not None}


def same_token(shown: str, real: str) -> bool:
    return shown == real or bool(_values(shown) & _values(real))


def same_line(shown: list[str], real: list[str]) -> bool:
    """Token lists equal, a ``...`` token in ``shown`` standing for any run of tokens."""
    memo: dict[tuple[int, int], bool] = {}

    def match(i: int, j: int) -> bool:
        if (i, j) in memo:
            return memo[i, j]
        if i == len(shown):
            result = j == len(real)
        elif shown[i] in GAP:
            result = any(match(i + 1, k) for k in range(j, len(real) + 1))
        else:
            result = j < len(real) and same_token(shown[i], real[j]) and match(i + 1, j + 1)
        memo[i, j] = result
        return result

    return match(0, 0)


def compare(shown_text: str, real_text: str) -> str | None:
    """None if ``shown_text`` is the real output (or an excerpt of it as marked), else why."""
    shown = [normalise(x) for x in shown_text.splitlines()]
    real = [normalise(x) for x in real_text.splitlines()]
    shown_lines = [x for x in shown if x]
    real_lines = [x for x in real if x]
    shown = [tokens(x) for x in shown_lines]
    real = [tokens(x) for x in real_lines]
    segments: list[list[list[str]]] = [[]]
    texts: list[str] = []
    for line, text in zip(shown, shown_lines, strict=True):
        if len(line) == 1 and line[0] in GAP:
            segments.append([])
        else:
            segments[-1].append(line)
            texts.append(text)
    anchored_start = bool(segments[0])
    anchored_end = bool(segments[-1])
    position = 0
    for index, segment in enumerate(segments):
        if not segment:
            continue
        starts = [position] if (index == 0 and anchored_start) else \
            range(position, len(real) - len(segment) + 1)
        for start in starts:
            if all(start + k < len(real) and same_line(line, real[start + k])
                   for k, line in enumerate(segment)):
                position = start + len(segment)
                break
        else:
            first = next(t for t, x in zip(texts, [y for s in segments for y in s], strict=True)
                         if x is segment[0])
            near = _nearest(segment[0], real[position:], real_lines[position:])
            return (f"shown line not found in order: {first!r}"
                    + (f"\n  nearest real line: {near!r}" if near else ""))
    if anchored_end and position != len(real):
        return f"the real output goes on (no '...' at the end): {real_lines[position]!r}"
    return None


def _nearest(line: list[str], real: list[list[str]], texts: list[str]) -> str | None:
    if not real:
        return None
    words = {t for t in line if not t[:1].isdigit()}
    best = max(range(len(real)), key=lambda k: len(words & set(real[k])))
    return texts[best]


# ---------------------------------------------------------------------------- running

SERVER = r'''
import json, os, runpy, signal, socket, sys, traceback
import ghg_inventory.cli as cli
SOCKET, ACTIVITIES = sys.argv[1:3]
for name in PRELOAD:
    try:
        __import__(name)
    except Exception:
        pass
try:  # warm the library's caches once (factor records, keyed look-ups): pure, same results
    import ghg_inventory
    ghg_inventory.FactorDB.default()
    ghg_inventory.compute(ACTIVITIES)
    import contextlib, io
    import pandas
    table = pandas.read_csv(ACTIVITIES, dtype=str)
    table[table["facility_id"] == "LC-001"].dropna(axis=1, how="all").to_csv("warm.csv",
                                                                              index=False)
    sys.argv = ["ghg-inventory", "submit", "warm.csv", "--store", "warm.duckdb"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            cli.main()
        except SystemExit:
            pass
except Exception:
    pass
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
server = socket.socket(socket.AF_UNIX)
server.bind(SOCKET)
server.listen(64)
print("ready", flush=True)
while True:
    conn, _ = server.accept()
    message, fds, _, _ = socket.recv_fds(conn, 1 << 22, 3)
    while not message.endswith(b"\n"):
        message += conn.recv(1 << 22)
    if os.fork():
        for fd in fds:
            os.close(fd)
        conn.close()
        continue
    server.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    request = json.loads(message)
    for number, fd in enumerate(fds):
        os.dup2(fd, number)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    code = 0
    try:
        argv = request["argv"]
        if request["tool"] == "python" and argv[1] == "-c":
            sys.argv = ["-c", *argv[3:]]
            sys.path[0] = ""
            exec(compile(argv[2], "<string>", "exec"), {"__name__": "__main__"})
        elif request["tool"] == "python":
            sys.argv = argv[1:]
            sys.path[0] = os.path.dirname(os.path.abspath(argv[1]))
            runpy.run_path(argv[1], run_name="__main__")
        else:
            sys.argv = argv
            cli.main()
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    conn.sendall(str(code).encode())
    os._exit(code)
'''

PRELOAD = ["pandas", "numpy", "pint", "openpyxl", "duckdb", "rich", "pydantic",
           "ghg_inventory", "ghg_inventory.api", "ghg_inventory.engine",
           "ghg_inventory.factors", "ghg_inventory.factor_sets", "ghg_inventory.units",
           "ghg_inventory.readers", "ghg_inventory.inventory", "ghg_inventory.province.store",
           "ghg_inventory.province.template", "ghg_inventory.province.completeness",
           "ghg_inventory.province.form06", "ghg_inventory.reporting.html_report",
           "ghg_inventory.analysis.uncertainty", "ghg_inventory.analysis.key_categories",
           "ghg_inventory.cli.compute", "ghg_inventory.cli.province",
           "ghg_inventory.cli.analysis"]

CLIENT = r'''#!{python} -S
import json, os, socket, sys
tool = {tool!r}
if tool == "python" and not (len(sys.argv) > 1 and (sys.argv[1] == "-c" and len(sys.argv) > 2
                                                     or not sys.argv[1].startswith("-"))):
    os.execv({python!r}, [{python!r}, *sys.argv[1:]])
client = socket.socket(socket.AF_UNIX)
client.connect({socket!r})
message = json.dumps({{"tool": tool, "argv": sys.argv, "cwd": os.getcwd(),
                       "env": dict(os.environ)}}).encode() + b"\n"
socket.send_fds(client, [message], [0, 1, 2])
answer = b""
while chunk := client.recv(64):
    answer += chunk
sys.exit(int(answer or b"1"))
'''


def start_tools(folder: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """Start the fork server; its clients (``ghg-inventory``, ``python``) are in the folder
    returned."""
    sock = str(folder / "s")
    server = subprocess.Popen(
        [sys.executable, "-c", f"PRELOAD = {PRELOAD!r}\n{SERVER}", sock,
         str(EXAMPLE / "activities.csv")],
        stdout=subprocess.PIPE, env={**_env(), "PYTHONUNBUFFERED": "1"}, cwd=folder)
    assert server.stdout is not None
    assert server.stdout.readline().strip() == b"ready", "the docs fork server did not start"
    for tool in ("ghg-inventory", "python"):
        script = folder / "bin" / tool
        script.parent.mkdir(exist_ok=True)
        real = str(VENV_BIN / "python")
        script.write_text(CLIENT.format(python=real, tool=tool, socket=sock), encoding="utf-8")
        script.chmod(0o755)
    return server, folder / "bin"


@pytest.fixture(scope="session")
def tools(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | None]:
    """A directory to put first on PATH (the fork server's clients), or None."""
    if os.environ.get("DOCS_BLOCKS_FORKSERVER", "1") == "0":
        yield None
        return
    server, folder = start_tools(tmp_path_factory.mktemp("docs_tools"))
    yield folder
    server.kill()
    server.wait()


@pytest.fixture(scope="session")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docs_snapshots")


def _env(tools: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GHG_INVENTORY_", "LC_", "LANGUAGE", "COLUMNS", "LINES"))}
    path = [str(VENV_BIN), env.get("PATH", "")]
    if tools is not None:
        path.insert(0, str(tools))
    env.update(PATH=os.pathsep.join(path), LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="UTC",
               COLUMNS=str(COLUMNS),
               PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1", MPLBACKEND="Agg",
               VIRTUAL_ENV=str(VENV_BIN.parent))
    return env


def _workdir(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    ignore = shutil.ignore_patterns("out", "__pycache__")
    shutil.copytree(EXAMPLE, work / "lai_chau", ignore=ignore)
    shutil.copytree(EXAMPLE, work / "examples" / "lai_chau", ignore=ignore)
    return work


def _run(script: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    return result.returncode, result.stdout.decode("utf-8", errors="replace")


def _file_text(work: Path, spec: str) -> str:
    name, _, sheet = (x.strip() for x in spec.partition(", sheet:"))
    path = work / name
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook
        book = load_workbook(path, read_only=True, data_only=True)
        rows = book[sheet].iter_rows(values_only=True)
        return "\n".join(" | ".join(str(v) for v in row if v not in (None, ""))
                         for row in rows)
    return path.read_text(encoding="utf-8-sig")


@dataclass
class PageRun:
    ran: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


#: Steps already run this session: the steps of a page so far -> (output, status, snapshot of
#: the working directory after them). A page repeating another's steps in the same order
#: (the Vietnamese guide and its English original) takes their outputs instead of running them
#: again; from its first step of its own it runs in a copy of the snapshot.
_DONE: dict[tuple[tuple[str, str], ...], tuple[int, str, Path]] = {}


def _restore(snapshot: Path, work: Path) -> None:
    shutil.rmtree(work)
    shutil.copytree(snapshot, work)


def run_page(page: Path, work: Path, env: dict[str, str],
             real_outputs: dict[str, str] | None = None,
             snapshots: Path | None = None) -> PageRun:
    outcome = PageRun()
    steps: tuple[tuple[str, str], ...] = ()
    behind: Path | None = None      # a snapshot to restore before running a step of our own
    for number, block in enumerate(parse(page)):
        if block.is_output or block.illustrative:
            continue
        if block.mark is not None and block.mark[0] == "file":
            if behind is not None:
                _restore(behind, work)
                behind = None
            try:
                shown_text, real_text = block.text, _file_text(work, block.mark[1])
                if block.mark[1].strip().endswith(".csv"):  # compare field by field
                    shown_text, real_text = (x.replace(",", " , ") for x in (shown_text,
                                                                               real_text))
                problem = compare(shown_text, real_text)
            except (OSError, KeyError) as exc:
                problem = f"cannot read {block.mark[1]}: {exc}"
            outcome.ran.append(block.where)
            if problem:
                outcome.failures.append(f"{block.where} (file {block.mark[1]}): {problem}")
            continue
        if block.title is not None:
            steps += (("file " + block.title, block.text),)
            if behind is not None and steps not in _DONE:
                _restore(behind, work)
                behind = None
            if steps in _DONE:
                behind = _DONE[steps][2]
            else:
                (work / block.title).write_text(block.text, encoding="utf-8")
            continue
        if block.lang in PYTHON:
            if block.lang == "pycon":
                outcome.failures.append(f"{block.where}: pycon blocks are not supported yet")
                continue
            script_file = f"_docs_block_{number}.py"
            script, shown = f"python {script_file}", (block.output.text if block.output
                                                      else None)
        elif block.lang == "console":
            commands = [x[2:] for x in block.text.splitlines() if x.startswith("$ ")]
            script = "\n".join(commands)
            shown = "\n".join(x for x in block.text.splitlines() if not x.startswith("$ "))
        elif block.lang in SHELL:
            script, shown = block.text, (block.output.text if block.output else None)
        else:
            continue
        steps += (("run " + block.lang, block.text if block.lang in PYTHON else script),)
        started = time.perf_counter()
        if steps in _DONE:
            code, real, behind = _DONE[steps]
            outcome.ran.append(f"{block.where} (as run before)")
        else:
            if behind is not None:
                _restore(behind, work)
                behind = None
            if block.lang in PYTHON:
                (work / script.split()[1]).write_text(block.text, encoding="utf-8")
            code, real = _run(script, work, env)
            outcome.ran.append(f"{block.where} ({time.perf_counter() - started:.1f} s)")
            if snapshots is not None:
                snapshot = snapshots / f"{len(_DONE)}"
                shutil.copytree(work, snapshot)
                _DONE[steps] = (code, real, snapshot)
        if real_outputs is not None:
            real_outputs[block.where] = real
        if code != 0:
            outcome.failures.append(f"{block.where}: exit status {code}\n{real[-3000:]}")
            continue
        if shown is not None and shown.strip():
            problem = compare(shown, real)
            if problem:
                outcome.failures.append(f"{block.where}: {problem}\n--- real output ---\n"
                                        f"{real[-4000:]}")
    return outcome


def _runnable(page: Path) -> bool:
    return any(not b.is_output and not b.illustrative and b.title is None
               and (b.lang in SHELL | PYTHON or (b.mark and b.mark[0] == "file"))
               for b in parse(page))


RUNNABLE = [p for p in PAGES if _runnable(p)]


# one pytest-xdist worker runs every page (``--dist loadgroup``, make test): a page repeating
# another's steps takes their outputs from _DONE, which lives in the worker's process
@pytest.mark.xdist_group("docs_blocks")
@pytest.mark.parametrize("page", RUNNABLE, ids=[str(p.relative_to(ROOT)) for p in RUNNABLE])
def test_page_blocks_run_and_show_their_real_output(page: Path, tmp_path: Path,
                                                    tools: Path | None,
                                                    snapshots: Path) -> None:
    work = _workdir(tmp_path)
    outcome = run_page(page, work, _env(tools), snapshots=snapshots)
    assert not outcome.failures, "\n\n".join(outcome.failures)


def test_illustrative_blocks_say_why() -> None:
    # an illustrative block is an exception: each says why it cannot run
    silent = [b.where for p in PAGES for b in parse(p)
              if b.illustrative and not (b.mark and b.mark[1].strip())]
    assert not silent, f"illustrative blocks without a reason: {silent}"


def test_method_pages_read_well_unbuilt() -> None:
    # the generated part of a method page is marked by an HTML comment pair around a note for
    # readers of the raw page, never by a bare template marker GitHub would show as it is
    shown_raw = [p.name for p in (ROOT / "docs" / "methods").glob("*.md")
                 if "{{" in p.read_text(encoding="utf-8")]
    assert not shown_raw, f"raw template markers in {shown_raw}"


@pytest.mark.xdist_group("docs_blocks")  # on the pages' worker, after them (collection order)
def test_repository_untouched_by_the_blocks() -> None:
    # the blocks run in copies: no output of theirs in the example folder or the root
    for name in ("province.duckdb", "lc002.xlsx", "reports", "commune_aggregates.csv"):
        assert not (ROOT / name).exists(), name
        assert not (EXAMPLE / name).exists(), name


@pytest.mark.parametrize(("shown", "real"), [
    ("total 8,508.625 t", "total 8508.625 t"),
    ("tổng 8.508,625 t", "tổng 8508.625 t"),
    ("│ 2022 │ 1.477603e+05 │", "2022   147760.3"),
    ("a\n...\nc", "a\nb\nc"),
    ("x,...,z", "x,y1,y2,z"),
    ("at 2026-11-29 08:12", "at 2027-01-02 10:00:01"),
])
def test_compare_accepts(shown: str, real: str) -> None:
    assert compare(shown, real) is None


@pytest.mark.parametrize(("shown", "real"), [
    ("total 8,508.625 t", "total 8,508.626 t"),
    ("a\nc", "a\nb\nc"),          # no gap marked
    ("b\na\n...", "a\nb"),        # order kept
    ("a", "a\nb"),                # the output goes on
    ("1.234", "1234.5"),
    ("8.508,625", "8508.62"),
])
def test_compare_refuses(shown: str, real: str) -> None:
    assert compare(shown, real) is not None


