#!/usr/bin/env python3
"""Rule deletion, the hard way: deletes each check of a folder of covenant rules in turn, builds, runs the
tests that should catch it, records caught or missed, and restores the file.

Usage, from the repository root (one build per site: run it last and niced):
    nice -n 10 python3 scripts/mutate-rules.py                        # the Truebit rules, consensus Truebit tests
    python3 scripts/mutate-rules.py --list                            # list the sites, build nothing
    python3 scripts/mutate-rules.py --sites 3,17 --report sites.md    # some sites again (default report: .build/)
    python3 scripts/mutate-rules.py --folder Sources/EmberConsensus/Covenants/Plasma \\
        --filter 'EmberConsensusTests\\..*Plasma'                      # another rule folder

A site is a check that rejects, with its mutation:
- a clause of a `guard` whose else-branch throws or returns nil: the clause becomes `true` (deleted);
- a clause of an `if` whose body throws: it becomes `false`;
- a statement `try checks.x(...)` / `try layer2.x(...)` whose result is unused: removed;
- a height check whose result is used (`before`, `from`, `chosen`, `requireHeight`, `clockMove`): it
  becomes `ValidHeights.unbounded` (passes at every height);
- a `throw` in a mode switch's `default:` or at the top of `checkSpend` / `checkCreation`: it becomes
  `return CovenantSpend()` / `return CovenantCreation()` (the spend or the output is allowed);
- a check that cannot pass without a value (a guard of bindings only, a throw in a `catch` or at the end
  of a lookup): its rejection becomes `fatalError`, so the site counts as caught when a test reaches it
  ("reach" in the table) rather than when a test notices it missing.

"caught" means the filtered tests failed (an issue recorded, or a crash); the report names the failing
tests. "MISSED" means they all passed with the check deleted: a test is missing. The report is written
after every site, so an interrupted run keeps what it found; the mutated file is always restored, and
the restored sources are built again at the end.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time

HEIGHT_CHECKS = {"before", "from", "chosen", "requireHeight", "clockMove"}


# MARK: Scanning Swift text


def skip_string(text, i):
    """Index just past the string literal starting at text[i] ('"'); handles escapes and \\( ) interpolation."""
    if text.startswith('"""', i):
        end = text.index('"""', i + 3)
        return end + 3
    i += 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            if i + 1 < len(text) and text[i + 1] == "(":
                i = match_close(text, i + 1) + 1
                continue
            i += 2
            continue
        if c == '"':
            return i + 1
        i += 1
    raise ValueError("unterminated string")


def skip_comment(text, i):
    """Index just past a comment starting at text[i], or i when none starts there."""
    if text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if text.startswith("/*", i):
        return text.index("*/", i) + 2
    return i


def match_close(text, i):
    """Index of the bracket closing the one at text[i] ('(', '[' or '{'), skipping strings and comments."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = [pairs[text[i]]]
    i += 1
    while i < len(text):
        after = skip_comment(text, i)
        if after != i:
            i = after
            continue
        c = text[i]
        if c == '"':
            i = skip_string(text, i)
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if c != stack[-1]:
                raise ValueError(f"unbalanced {c} at {i}")
            stack.pop()
            if not stack:
                return i
        i += 1
    raise ValueError("no closing bracket")


def top_level_split(text, separator=","):
    """(start, end) spans of `text` split at top-level separators."""
    spans, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c == '"':
            i = skip_string(text, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == separator and depth == 0:
            spans.append((start, i))
            start = i + 1
        i += 1
    spans.append((start, len(text)))
    return spans


def code_positions(text, pattern):
    """Matches of `pattern` outside comments and strings."""
    masked = list(text)
    i = 0
    while i < len(text):
        after = skip_comment(text, i)
        if after != i:
            for k in range(i, after):
                masked[k] = " "
            i = after
            continue
        if text[i] == '"':
            end = skip_string(text, i)
            for k in range(i + 1, end - 1):
                masked[k] = " "
            i = end
            continue
        i += 1
    return list(re.finditer(pattern, "".join(masked)))


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def statement_end(text, start):
    """End offset (exclusive) of the expression `try x.y(...)` starting at `start`: its call's close paren."""
    paren = text.index("(", start)
    return match_close(text, paren) + 1


# MARK: Sites


class Site:
    def __init__(self, path, text, kind, start, end, replacement, what):
        self.path, self.kind, self.start, self.end, self.replacement = path, kind, start, end, replacement
        self.line = line_of(text, start)
        self.what = " ".join(what.split())

    def label(self):
        return f"{os.path.basename(self.path)}:{self.line}"

    def apply(self, text):
        return text[: self.start] + self.replacement + text[self.end :]


def enclosing_function(text, offset):
    found = None
    for match in re.finditer(r"\bfunc\s+(\w+)", text[:offset]):
        found = match.group(1)
    return found


def first_throw(text, start, end):
    """(start, end) of the first `throw …` or `return nil` statement in text[start:end]."""
    for match in code_positions(text[start:end], r"\bthrow\b|\breturn nil\b"):
        begin = start + match.start()
        if match.group(0) == "return nil":
            return begin, begin + len("return nil")
        return begin, throw_end(text, begin)
    return None


def throw_end(text, begin):
    """End of the `throw` statement at `begin`: its call's close paren (the call may span lines), else its line."""
    line_end = text.find("\n", begin)
    paren = text.find("(", begin, line_end)
    return match_close(text, paren) + 1 if paren >= 0 else line_end


def sites_in(path):
    text = open(path).read()
    sites, handled = [], []

    # Guards that reject: each boolean clause deleted, or the rejection made to crash when all are bindings.
    for match in code_positions(text, r"\bguard\b"):
        else_match = code_positions(text[match.end() :], r"\belse\s*\{")[0]
        condition_start, condition_end = match.end(), match.end() + else_match.start()
        brace = match.end() + else_match.end() - 1
        body_end = match_close(text, brace)
        body = text[brace + 1 : body_end]
        if not re.search(r"\bthrow\b|\breturn nil\b", body):
            continue
        handled.append((brace, body_end))
        condition = text[condition_start:condition_end]
        clauses = [(condition_start + a, condition_start + b) for a, b in top_level_split(condition)]
        booleans = [(a, b) for a, b in clauses if not re.match(r"\s*(let|var|case)\b", text[a:b])]
        for a, b in booleans:
            lead = len(text[a:b]) - len(text[a:b].lstrip())
            trail = len(text[a:b]) - len(text[a:b].rstrip())
            sites.append(Site(path, text, "delete", a + lead, b - trail, "true", "guard " + text[a + lead : b - trail]))
        if not booleans:
            span = first_throw(text, brace + 1, body_end)
            sites.append(Site(path, text, "reach", span[0], span[1], 'fatalError("mutant: rejection reached")', "guard " + condition.strip()))

    # Ifs whose body throws: each boolean clause made false.
    for match in code_positions(text, r"\bif\b"):
        brace = text.index("{", match.end())
        body_end = match_close(text, brace)
        if not re.match(r"\s*throw\b", text[brace + 1 : body_end]):
            continue
        handled.append((brace, body_end))
        condition_start, condition_end = match.end(), brace
        for a, b in top_level_split(text[condition_start:condition_end]):
            a, b = condition_start + a, condition_start + b
            clause = text[a:b]
            if re.match(r"\s*(let|var|case)\b", clause):
                continue
            lead, trail = len(clause) - len(clause.lstrip()), len(clause) - len(clause.rstrip())
            sites.append(Site(path, text, "delete", a + lead, b - trail, "false", "if " + clause.strip()))

    # Calls of checks: unused results removed, height checks made to pass at every height.
    for match in code_positions(text, r"\btry\s+(checks|layer2)\.(\w+)\("):
        start, name = match.start(), match.group(2)
        end = statement_end(text, start)
        line_start = text.rfind("\n", 0, start) + 1
        statement = text[line_start:start].strip() == "" and text[end : text.find("\n", end)].strip() == ""
        if name in HEIGHT_CHECKS and not statement:
            sites.append(Site(path, text, "pass", start, end, "ValidHeights.unbounded", text[start:end]))
        elif statement:
            sites.append(Site(path, text, "delete", start, end, "", text[start:end]))

    # Other throws: a mode switch's default or a creation rule allows the spend or output; the rest must be reached.
    for match in code_positions(text, r"\bthrow\b"):
        start = match.start()
        if any(a < start < b for a, b in handled):
            continue
        function = enclosing_function(text, start)
        before = text[:start].rstrip()
        end = throw_end(text, start)
        in_default = before.endswith("default:")
        top_level = re.search(r"\{\s*$", before) is not None and re.search(r"func (checkSpend|checkCreation)\([^{]*\{\s*$", before)
        if function == "checkSpend" and (in_default or top_level):
            sites.append(Site(path, text, "pass", start, end, "return CovenantSpend()", text[start:end]))
        elif function == "checkCreation" and (in_default or top_level):
            sites.append(Site(path, text, "pass", start, end, "return CovenantCreation()", text[start:end]))
        else:
            sites.append(Site(path, text, "reach", start, end, 'fatalError("mutant: rejection reached")', text[start:end]))

    return sorted(sites, key=lambda site: site.start)


# MARK: Running


def run(command, timeout):
    started = time.time()
    try:
        completed = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=timeout)
        return completed.returncode, completed.stdout + completed.stderr, time.time() - started
    except subprocess.TimeoutExpired as error:
        return -1, (error.stdout or "") + "\nTIMEOUT", time.time() - started


def failing_tests(output):
    """The tests the run names as failing, or the test a crash happened in."""
    names = []
    for match in re.finditer(r'✘ Test "([^"]+)" (?:recorded an issue|failed)', output):
        name = match.group(1).split(":")[0] if ":" in match.group(1)[:40] else match.group(1)[:60]
        if name not in names:
            names.append(name)
    if not names and ("Fatal error" in output or "crashed" in output):
        crash = re.findall(r"(\w+Tests)\.(\w+)\(", output)
        names = ["crash in " + ".".join(crash[0])] if crash else ["crash"]
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", default="Sources/EmberConsensus/Covenants/Truebit")
    parser.add_argument("--filter", default=r"EmberConsensusTests\..*Truebit")
    parser.add_argument("--build", default="swift build --build-tests")
    parser.add_argument("--test", default="swift test --skip-build --filter '{filter}'")
    parser.add_argument("--sites", help="comma-separated site numbers to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the sites and exit")
    parser.add_argument("--report", default=".build/mutate-rules-report.md")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds for one build or test run")
    args = parser.parse_args()

    paths = sorted(os.path.join(args.folder, name) for name in os.listdir(args.folder) if name.endswith(".swift"))
    sites = [site for path in paths for site in sites_in(path)]
    chosen = {int(n) for n in args.sites.split(",")} if args.sites else set(range(1, len(sites) + 1))
    if args.list:
        for number, site in enumerate(sites, 1):
            print(f"{number:3} {site.label():34} {site.kind:6} {site.what[:110]}")
        return

    original = {}

    def restore(*_):
        for path, text in original.items():
            open(path, "w").write(text)
        if _:
            sys.exit(130)

    signal.signal(signal.SIGINT, restore)
    signal.signal(signal.SIGTERM, restore)
    rows = []
    test = args.test.format(filter=args.filter)
    for number, site in enumerate(sites, 1):
        if number not in chosen:
            continue
        text = open(site.path).read()
        original[site.path] = text
        try:
            open(site.path, "w").write(site.apply(text))
            code, output, seconds = run(args.build, args.timeout)
            if code != 0:
                error = next((line for line in output.splitlines() if "error:" in line), "build failed")
                verdict, detail = "build failed", error.strip()[:120]
            else:
                code, output, seconds = run(test, args.timeout)
                names = failing_tests(output)
                verdict = "caught" if code != 0 else "MISSED"
                detail = "; ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "") if code != 0 else ""
        finally:
            open(site.path, "w").write(text)
            del original[site.path]
        rows.append((number, site, verdict, detail))
        print(f"{number:3} {site.label():34} {site.kind:6} {verdict:12} {detail[:100]}", flush=True)
        with open(args.report, "w") as report:
            report.write("| # | site | mutation | check | verdict | caught by |\n|---|---|---|---|---|---|\n")
            for row_number, row_site, row_verdict, row_detail in rows:
                check = row_site.what.replace("|", "\\|")[:90]
                report.write(f"| {row_number} | {row_site.label()} | {row_site.kind} | `{check}` | {row_verdict} | {row_detail} |\n")
    # The last mutant's build is what `.build` holds now: build the restored sources again, so that a
    # later `swift test --skip-build` tests the real rules.
    if rows:
        run(args.build, args.timeout)
    missed = [row for row in rows if row[2] != "caught"]
    print(f"{len(rows) - len(missed)} of {len(rows)} sites caught", flush=True)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
