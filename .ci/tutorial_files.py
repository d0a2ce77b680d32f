"""Writes the tutorial project from the book: every fenced code block preceded by
`<!-- tutorial-file: PATH -->` in book/src/tutorial/*.md (pages in SUMMARY.md order; blocks for the
same PATH are concatenated). The fabric-contract dependency is pointed at this checkout and the
workspace's [profile] tables are appended, so the workspace's compiled dependencies are reused."""

import re
import sys
from pathlib import Path

MARK = re.compile(r"^<!-- tutorial-file: (\S+) -->\s*$")
DEPENDENCY = re.compile(r'^(fabric-contract = \{ path = )"[^"]*"', re.M)  # [dependencies] and [dev-dependencies]


def pages(root):
    summary = (root / "book/src/SUMMARY.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\((tutorial/[^)]+\.md)\)", summary):
        yield root / "book/src" / link


def blocks(page):
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        mark = MARK.match(lines[i])
        i += 1
        if not mark:
            continue
        if i >= len(lines) or not lines[i].startswith("```"):
            sys.exit(f"{page}: the tutorial-file mark for {mark[1]} is not followed by a code block")
        fence = lines[i][: len(lines[i]) - len(lines[i].lstrip("`"))]
        body = []
        i += 1
        while i < len(lines) and lines[i] != fence:
            body.append(lines[i])
            i += 1
        yield mark[1], "\n".join(body) + "\n"


def main(root, project):
    root, project = Path(root).resolve(), Path(project)
    files = {}
    for page in pages(root):
        found = list(blocks(page))
        if found and "{{#include" in page.read_text(encoding="utf-8"):
            sys.exit(f"{page}: a tutorial page must show its code, not include it from the repository")
        for path, body in found:
            files[path] = files.get(path, "") + body
    for needed in ["Cargo.toml", "src/lib.rs", "src/main.rs", "tests/auction.rs", "demo.txt"]:
        if needed not in files:
            sys.exit(f"the tutorial has no block marked `<!-- tutorial-file: {needed} -->`")
    manifest, count = DEPENDENCY.subn(
        lambda m: f'{m[1]}"{(root / "contract-runtime").as_posix()}"', files["Cargo.toml"]
    )
    if count == 0:
        sys.exit("the tutorial's Cargo.toml has no `fabric-contract = { path = \"…\" }` line")
    workspace = (root / "Cargo.toml").read_text(encoding="utf-8")
    profiles = re.findall(r"^\[profile\.[^\n]*\n(?:(?!\[)[^\n]*\n?)*", workspace, re.M)
    files["Cargo.toml"] = manifest + "\n# Added by .ci/tutorial: the workspace's profiles.\n" + "".join(profiles)
    for path, body in files.items():
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
