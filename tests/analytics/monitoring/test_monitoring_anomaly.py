"""Anomaly primitives on crafted series."""
import numpy as np
import pytest

from zhizao.analytics.monitoring.anomaly import cusum, pelt_l2, robust_z, stl_residual_z, trailing_robust_z


def test_robust_z_by_hand():
    # median 3, |x − 3| = 2 1 0 1 2 → MAD 1 → scale 1.4826
    z = robust_z(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert z[4] == pytest.approx(2 / 1.4826)


def test_robust_z_constant_series_is_nan():
    assert np.isnan(robust_z(np.ones(10))).all()


def test_trailing_robust_z_uses_only_the_past():
    x = np.r_[np.tile([1.0, 2.0, 3.0], 8), 30.0]
    z = trailing_robust_z(x, 12)
    assert np.isnan(trailing_robust_z(x, 12)[:12]).all()
    assert z[-1] > 10 and np.isnan(z[0])


def test_pelt_finds_two_steps():
    rng = np.random.default_rng(0)
    x = np.r_[np.zeros(20), np.full(15, 3.0), np.zeros(10)] + rng.normal(0, 0.3, 45)
    assert pelt_l2(x, 2 * 0.09 * np.log(45) * 2, 3) == [20, 35]


def test_pelt_flat_series_has_no_change():
    rng = np.random.default_rng(1)
    x = rng.normal(0, 1, 60)
    assert pelt_l2(x, 2 * np.log(60) * 2, 3) == []


def test_cusum_signals_a_sustained_shift_and_restarts():
    z = np.r_[np.zeros(10), np.full(10, 1.5)]
    hi, lo, sig = cusum(z, 0.5, 4.0)
    # each shifted point adds 1.0 → S_H exceeds 4 on the 5th, restart, again on the 10th
    assert np.nonzero(sig)[0].tolist() == [14, 19]
    assert (sig >= 0).all()


def test_stl_residual_z_flags_a_spike():
    rng = np.random.default_rng(2)
    season = np.tile(np.linspace(0.8, 1.2, 11), 5)
    y = 100 * season * np.exp(rng.normal(0, 0.01, 55))
    y[40] *= 1.3
    z = stl_residual_z(y, 11)
    assert abs(z[40]) > 3.5 and np.nanargmax(np.abs(z)) == 40
    assert np.isnan(stl_residual_z(np.r_[y[:-1], -1.0], 11)).all()


# --- batched primitives: the same numbers as one series at a time --------------------------------------

from zhizao.analytics.monitoring.anomaly import (pelt_l2_many, robust_z_rows, stl_residual_z_rows,  # noqa: E402
                                                 stl_rows)


def _pelt_reference(x, penalty, min_size):
    """The per-series pruned PELT zhizao used before batching (kept here as the oracle)."""
    n = len(x)
    if n < 2 * min_size:
        return []
    s1, s2 = np.r_[0.0, np.cumsum(x)], np.r_[0.0, np.cumsum(x * x)]
    cost = lambda a, b: s2[b] - s2[a] - (s1[b] - s1[a]) ** 2 / (b - a)  # noqa: E731
    F = np.full(n + 1, np.inf)
    F[0] = -penalty
    last = np.zeros(n + 1, dtype=int)
    cands = [0]
    for t in range(min_size, n + 1):
        vals = [(F[s] + cost(s, t) + penalty, s) for s in cands if t - s >= min_size]
        if vals:
            F[t], last[t] = min(vals)
        cands = [s for s in cands if t - s < min_size or F[s] + cost(s, t) <= F[t]] + ([t] if np.isfinite(F[t]) else [])
    cps, t = [], n
    while t > 0:
        cps, t = (cps + [int(last[t])] if last[t] > 0 else cps), last[t]
    return sorted(cps)


def test_pelt_many_matches_the_per_series_search():
    rng = np.random.default_rng(7)
    xs, pens = [], []
    for i in range(40):
        n = int(rng.integers(5, 70))
        x = rng.normal(0, 1, n) + np.where(np.arange(n) > n // 2, rng.normal(0, 3), 0.0)
        if i % 5 == 0:
            x = np.round(x)  # ties
        xs.append(x)
        pens.append(float(rng.uniform(0.5, 20)))
    for min_size in (2, 3, 5):
        got = pelt_l2_many(xs, pens, min_size)
        assert got == [_pelt_reference(x, p, min_size) for x, p in zip(xs, pens)]


def test_stl_rows_match_statsmodels():
    from statsmodels.tsa.seasonal import STL

    rng = np.random.default_rng(3)
    for n in (23, 45, 55, 66, 77):
        t = np.arange(n)
        Y = np.log(100 * np.tile(np.linspace(0.8, 1.2, 11), 8)[:n] * np.exp(0.004 * t + rng.normal(0, 0.02, (6, n))))
        Y[0, n // 2] += 0.4  # an outlier: robustness weights at work
        for robust in (True, False):
            season, trend = stl_rows(Y, 11, robust=robust)
            for b in range(len(Y)):
                r = STL(Y[b], period=11, seasonal=7, robust=robust).fit()
                assert np.abs(r.seasonal - season[b]).max() < 1e-9
                assert np.abs(r.trend - trend[b]).max() < 1e-9
        levels = np.exp(Y)
        levels[1, 3] = -1.0  # not positive: NaN, as the one-series function
        z = stl_residual_z_rows(levels, 11)
        for b in range(len(Y)):
            assert np.allclose(z[b], stl_residual_z(levels[b], 11), atol=1e-7, equal_nan=True)


def test_row_wise_robust_z_trailing_z_and_cusum_equal_the_loops():
    rng = np.random.default_rng(5)
    X = rng.normal(0, 1, (8, 40))
    X[2, 10:14] = np.nan
    X[3] = 1.0  # MAD 0
    for i, row in enumerate(robust_z_rows(X)):
        assert np.allclose(row, robust_z(X[i]), equal_nan=True)
    for window, need in ((12, None), (12, 5)):
        Z = trailing_robust_z(X, window, need)
        for i in range(len(X)):
            past_loop = np.full(40, np.nan)
            for t in range(40):
                past = X[i, max(0, t - window):t]
                past = past[np.isfinite(past)]
                if len(past) >= max(3, need or window) and np.isfinite(X[i, t]):
                    med = np.median(past)
                    mad = np.median(np.abs(past - med)) * 1.4826
                    past_loop[t] = (X[i, t] - med) / mad if mad > 0 else np.nan
            assert np.array_equal(Z[i], past_loop, equal_nan=True)
            assert np.array_equal(Z[i], trailing_robust_z(X[i], window, need), equal_nan=True)
    hi, lo, sig = cusum(X, 0.5, 2.0)
    for i in range(len(X)):
        sh = sl = 0.0
        for t, v in enumerate(X[i]):  # the tabular CUSUM, point by point
            if np.isfinite(v):
                sh, sl = max(0.0, v - 0.5 + sh), max(0.0, -0.5 - v + sl)
            assert (hi[i, t], lo[i, t]) == (sh, sl)
            s_t = 1 if np.isfinite(v) and sh > 2.0 else (-1 if np.isfinite(v) and sl > 2.0 else 0)
            assert sig[i, t] == s_t
            if s_t:
                sh = sl = 0.0
