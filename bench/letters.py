"""Letter rendering throughput: letters per second and peak memory, each scenario in its own process.

Scenarios: one letter in a fresh process (imports, fonts and all); letters one by one in a warm process
(one renderer: Jinja templates, parsed letter.css and one FontConfiguration reused); a 500-letter commune
batch as the worker renders it (the letters' archived HTML joined into one document, one PDF); and the naive
baseline measured in the same run: a new renderer for each letter (templates, fonts and stylesheet loaded
again every time), doing the same job as the warm scenario, from the letter's data to its PDF.
Run: .venv/bin/python bench/letters.py [--batch 500] [--letters 40]
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def sample_letters(count: int):  # type: ignore[no-untyped-def]
    from tests.letters_support import FIELDS, letter

    keys = sorted(FIELDS)
    return [
        replace(letter(keys[i % len(keys)]), reference=f"LTR-1701-2026-{i:05d}", case_reference=f"APP-{i}")
        for i in range(count)
    ]


def renderer():  # type: ignore[no-untyped-def]
    from webapp.letters import default_renderer

    return default_renderer()


def fresh(_count: int) -> int:
    renderer().pdf(sample_letters(1)[0])
    return 1


def warm(count: int) -> int:
    """A long-lived worker that has printed each kind of letter once (fonts loaded, every template compiled),
    then prints `count` more."""
    from tests.letters_support import FIELDS

    kinds = len(FIELDS)  # sample_letters takes the kinds in turn: the first `kinds` letters are one of each
    letters, render = sample_letters(kinds + count), renderer()
    for data in letters[:kinds]:
        render.pdf(data)
    started = time.perf_counter()
    for data in letters[kinds:]:
        render.pdf(data)
    return _report(count, started)


def batch(count: int) -> int:
    render = renderer()
    documents = [render.html(data) for data in sample_letters(count)]  # archived at issue time
    render.pdf(sample_letters(1)[0])  # the worker is warm
    started = time.perf_counter()
    pdf = render.pdf_from_documents(documents)  # what letter_batches.render_batch does
    assert pdf.startswith(b"%PDF")
    return _report(count, started)


def naive(count: int) -> int:
    """Each letter from its data with nothing kept: a new renderer (Jinja environment and templates, the
    QR code, a FontConfiguration with the @font-face fonts, letter.css parsed) per letter, as the warm
    scenario's job is (data in, PDF out)."""
    from webapp.letters import LetterRenderer

    letters = sample_letters(count)
    started = time.perf_counter()
    for data in letters:
        LetterRenderer(ROOT / "letters", ROOT / "locales").pdf(data)
    return _report(count, started)


def _report(count: int, started: float) -> int:
    print(json.dumps({"seconds": time.perf_counter() - started}))
    return count


SCENARIOS = {"fresh": fresh, "warm": warm, "batch": batch, "naive": naive}


def run(name: str, count: int) -> tuple[float, float]:
    """(letters per second, peak MB) of one scenario in a child process."""
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, __file__, "--scenario", name, "--count", str(count)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    elapsed = time.perf_counter() - started
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    seconds = next((line["seconds"] for line in lines if "seconds" in line), elapsed)
    peak = next(line["peak_mb"] for line in lines if "peak_mb" in line)
    return count / seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--letters", type=int, default=40)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    if args.scenario:
        SCENARIOS[args.scenario](args.count)
        print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        return
    rows = [
        ("one letter, fresh process (wall time incl. start-up)", *run("fresh", 1)),
        (f"{args.letters} letters one by one, warm process", *run("warm", args.letters)),
        (f"{args.batch}-letter commune batch, worker path", *run("batch", args.batch)),
        (f"baseline: naive, new render per letter ({args.letters})", *run("naive", args.letters)),
    ]
    print(f"{'scenario':58} {'letters/s':>10} {'peak MB':>9}")
    for label, rate, peak in rows:
        print(f"{label:58} {rate:10.2f} {peak:9.0f}")
    naive_rate = rows[-1][1]
    print(f"warm / naive: {rows[1][1] / naive_rate:.1f}x   batch / naive: {rows[2][1] / naive_rate:.1f}x")


if __name__ == "__main__":
    main()
