"""Unit conversion and derived values, against hand-computed examples."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from shizhong import derive, numerals, units, write


def test_mu_is_exactly_one_fifteenth_of_a_hectare(data):
    base, factor = units.factor("亩", data.units)
    assert (base, factor) == ("m2", Fraction(2000, 3))
    assert units.convert(15, "亩", "ha", data.units) == pytest.approx(1.0, abs=1e-12)
    assert units.convert(1579, "亩", "ha", data.units) == pytest.approx(105.2667, abs=1e-4)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (17.7, "亿元", 1.77e9),
        (40.84, "万平方米", 408_400.0),
        (28.4, "%", 0.284),
        (1, "亿美元", 1e8),
    ],
)
def test_to_base(data, value, unit, expected):
    assert units.to_base(value, unit, data.units) == pytest.approx(expected, rel=1e-12)


def test_to_base_is_exact_for_decimal_inputs(data):
    # 4.46亿元 is 446,000,000 yuan exactly, not 445,999,999.99…
    assert units.to_base(4.46, "亿元", data.units) == 446_000_000


def test_convert_refuses_different_bases(data):
    with pytest.raises(ValueError, match="cannot convert"):
        units.convert(1, "亩", "亿元", data.units)


def test_unknown_unit_raises(data):
    with pytest.raises(KeyError, match="斤"):
        units.to_base(1, "斤", data.units)


def test_usd_exchange_uses_the_recorded_rate(data):
    assert units.exchange(1e8, "USD", "CNY", 2019, data.exchange_rates) == pytest.approx(6.8985e8)
    with pytest.raises(KeyError):
        units.exchange(1, "USD", "CNY", 1999, data.exchange_rates)


def test_previous_level_by_hand():
    assert derive.previous_level(933, 28) == pytest.approx(728.90625)
    assert derive.previous_level(748, 38) == pytest.approx(542.028985, abs=1e-6)
    assert derive.previous_level(100, 0) == 100
    with pytest.raises(ValueError):
        derive.previous_level(1, -100)


def test_residual_share_average_growth():
    assert derive.residual(1579, 835, 744) == 0
    assert derive.residual(1134, 174) == 960
    assert derive.share(835, 1579) == pytest.approx(52.8816, abs=1e-4)
    assert derive.average(933, 1134) == pytest.approx(0.822751, abs=1e-6)
    assert derive.growth(128, 100) == pytest.approx(28)
    with pytest.raises(ZeroDivisionError):
        derive.share(1, 0)


def test_baselines_pair_each_growth_with_its_level(data):
    table = derive.baselines(data.indicators).set_index("id")
    row = table.loc["investment_projects_10m_capital"]
    assert row["level"] == 933 and row["growth_pct"] == 28
    assert row["previous"] == pytest.approx(728.90625)
    # A growth whose level the article does not state has no baseline.
    assert "construction_value_added" not in table.index


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("三", 3), ("五", 5), ("十二", 12), ("二十", 20), ("一百零五", 105), ("千万", 10**7),
     ("亿", 10**8), ("首", 1)],
)  # fmt: skip
def test_chinese_numerals(numeral, value):
    assert numerals.chinese_to_int(numeral) == value


def test_not_a_chinese_numeral():
    with pytest.raises(ValueError):
        numerals.chinese_to_int("市中")


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [(1134, None, "1,134"), (17.7, None, "17.7"), (105.2667, 1, "105.3"), (40.84, 2, "40.84")],
)
def test_number_format(x, decimals, expected):
    assert write.number(x, decimals).en == expected


@pytest.mark.parametrize(
    ("x", "digits", "grouped", "plain"),
    [(1.77, 3, "1.77", "1.77"), (1.7, 3, "1.7", "1.7"), (1234.5, 3, "1,234", "1234"),
     (0.0, 3, "0", "0"), (40.84, 4, "40.84", "40.84")],
)  # fmt: skip
def test_significant_digits(x, digits, grouped, plain):
    assert numerals.significant(x, digits) == grouped
    assert numerals.significant(x, digits, grouping=False) == plain


def test_tie_groups_keep_ties_together():
    values = pd.Series({"a": 4, "b": 9, "c": 4, "d": 1})
    assert derive.tie_groups(values, of="x") == [["b"], ["a", "c"], ["d"]]
    assert derive.tie_groups(values, largest=False, of="x") == [["d"], ["a", "c"], ["b"]]


def test_figure_format(data):
    assert write.figure(data.figure("finance_tax")).en == "17.7\u00a0亿元"
    assert write.figure(data.figure("investment_projects_10m_count")).en == "1,134"
    assert write.figure(data.figure("land_supplied")).en == "1,579\u00a0亩"
    assert (
        write.figure(data.figure("new_finance_park_fund_scale")).en == "more than 1,600\u00a0亿元"
    )
    assert write.figure(data.figure("openness_ciie_edition")).en == "second"
    assert write.figure(data.figure("promotion_it_expo_edition")).en == "12th"
    assert write.figure(data.figure("framework_district_system")).en == "1+456"
    assert write.yuan(1.77e9).en == "CNY\u00a01.77\u00a0billion"
    assert write.signed_percent(-1.04).en == "\u22121.0%"
    assert write.mu(1579, 105.2667).en == "1,579\u00a0亩 (105.3\u00a0ha)"
    # The Chinese edition writes each as the article does: unit attached, no separators.
    zh = {
        "finance_tax": "17.7亿元",
        "land_supplied": "1579亩",
        "new_finance_park_fund_scale": "超过1600亿元",
        "openness_ciie_edition": "第二届",
    }
    assert {i: write.figure(data.figure(i)).zh for i in zh} == zh
    assert write.yuan(5.95e6).zh == "595万元"
    assert write.signed_percent(-1.04).zh == "下降1.0%"
