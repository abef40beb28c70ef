"""axe-core, run inside the page under test.

axe.min.js is vendored from the npm registry (axe-core 4.14.1, `npm pack axe-core@4.14.1`,
sha256 29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c; MPL-2.0, see
vendor/LICENSE). It is test-only: the app never serves it. Playwright's evaluate runs it
through the DevTools protocol, which the app's Content-Security-Policy (script-src 'self')
does not govern, so the page is checked with its real headers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_VERSION = "4.14.1"
VENDOR = Path(__file__).resolve().parent / "vendor"
BLOCKING_IMPACTS = ("serious", "critical")


@cache
def axe_source() -> str:
    return (VENDOR / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe's violations on the page as it is now (WCAG 2.x A/AA and best practices)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Wrapped in a function so that evaluate runs the file as statements.
        page.evaluate("() => {\n" + axe_source() + "\n}")
    return page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {
                runOnly: {type: 'tag', values: [
                    'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'
                ]},
                resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }"""
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"][:5])
    return "\n".join(lines)


def assert_accessible(page, name: str) -> None:
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe {AXE_VERSION} on {name} ({page.url}):\n{describe(blocking)}"
