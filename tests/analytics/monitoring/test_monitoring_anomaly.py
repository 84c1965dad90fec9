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
