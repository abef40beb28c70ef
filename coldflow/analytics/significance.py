"""Is one variant's reply rate really different from another's? Plain functions, no SciPy.

Two variants: the two-proportion z-test (pooled). Three or more: Pearson's chi-square test of
independence on the k×2 table (successes, failures), whose p-value comes from the chi-square
distribution's survival function (the regularised upper incomplete gamma function).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ALPHA = 0.05


@dataclass(frozen=True)
class TestResult:
    test: str  # "z" or "chi2"
    statistic: float
    p_value: float
    significant: bool

    @property
    def verdict(self) -> str:
        return "significant" if self.significant else "not significant"


def two_proportion_z(successes_a: int, n_a: int, successes_b: int, n_b: int) -> TestResult:
    """Two-sided pooled z-test of p_a == p_b."""
    if n_a <= 0 or n_b <= 0:
        raise ValueError("both groups need at least one trial")
    pooled = (successes_a + successes_b) / (n_a + n_b)
    variance = pooled * (1 - pooled) * (1 / n_a + 1 / n_b)
    if variance == 0:
        return TestResult("z", 0.0, 1.0, False)
    z = (successes_a / n_a - successes_b / n_b) / math.sqrt(variance)
    p = math.erfc(abs(z) / math.sqrt(2))
    return TestResult("z", z, p, p < ALPHA)


def _upper_gamma_regularised(a: float, x: float) -> float:
    """Q(a, x) = Γ(a, x) / Γ(a): a series below a + 1, a continued fraction above."""
    if x <= 0:
        return 1.0
    log_prefix = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        denominator = a
        for _ in range(1000):
            denominator += 1
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(log_prefix) * h


def chi_square_sf(statistic: float, degrees_of_freedom: int) -> float:
    """P(X >= statistic) for X ~ chi-square(degrees_of_freedom)."""
    return _upper_gamma_regularised(degrees_of_freedom / 2, statistic / 2)


def chi_square_independence(groups: list[tuple[int, int]]) -> TestResult:
    """Pearson's chi-square over groups of (successes, trials)."""
    groups = [(s, n) for s, n in groups if n > 0]
    if len(groups) < 2:
        raise ValueError("at least two groups with trials are needed")
    total_n = sum(n for _, n in groups)
    total_s = sum(s for s, _ in groups)
    rate = total_s / total_n
    if rate in (0, 1):
        return TestResult("chi2", 0.0, 1.0, False)
    statistic = 0.0
    for s, n in groups:
        for observed, expected in ((s, n * rate), (n - s, n * (1 - rate))):
            statistic += (observed - expected) ** 2 / expected
    p = chi_square_sf(statistic, len(groups) - 1)
    return TestResult("chi2", statistic, p, p < ALPHA)


def compare(groups: list[tuple[int, int]]) -> TestResult | None:
    """The right test for the number of groups (None when fewer than two have trials)."""
    usable = [(s, n) for s, n in groups if n > 0]
    if len(usable) < 2:
        return None
    if len(usable) == 2:
        (s1, n1), (s2, n2) = usable
        return two_proportion_z(s1, n1, s2, n2)
    return chi_square_independence(usable)
