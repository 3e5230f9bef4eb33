"""The bilingual text pair, the number writer that returns pairs, and their resolution."""

import pandas as pd
import pytest

import shizhong as sz
from shizhong import write
from shizhong.bilingual import LANGS, T, resolve


def test_a_pair_gives_each_edition_its_own_text():
    title = T("Land supplied", "供地")
    assert [title(lang) for lang in LANGS] == ["Land supplied", "供地"]
    with pytest.raises(ValueError, match="no edition 'fr'"):
        title("fr")


def test_a_pair_never_becomes_one_language_silently():
    with pytest.raises(TypeError, match="two languages"):
        str(T("a", "甲"))
    with pytest.raises(TypeError, match="two languages"):
        f"{T('a', '甲')}"


def test_pairs_compose_per_language():
    total = T("Total {}", "合计{}").format(write.yi(1.5))
    assert total == T("Total 1.5\u00a0亿元", "合计1.5亿元")
    assert T("; ", "；").join([T("a", "甲"), "b"]) == T("a; b", "甲；b")
    assert T("x", "乙") + "!" == T("x!", "乙!")


def test_resolve_reaches_frame_cells_headers_and_nested_arguments():
    frame = pd.DataFrame({"part": [T("Paid", "出让"), "same"], "mu": [1, 2]})
    zh = resolve({"data": frame, "order": [T("Paid", "出让")]}, "zh")
    assert list(zh["data"]["part"]) == ["出让", "same"]
    assert zh["order"] == ["出让"]
    assert list(zh["data"]["mu"]) == [1, 2]
    assert resolve(frame.rename(columns={"mu": T("Mu", "亩")}), "zh").columns[1] == "亩"


def test_the_writer_pairs_each_languages_wording():
    assert write.yuan(1.77e9) == T("CNY\u00a01.77\u00a0billion", "17.7亿元")
    assert write.signed_percent(-1.2) == T("\u22121.2%", "下降1.2%")
    assert write.change_percent(-1.2) == T("\u22121.2%", "\u22121.2%")
    assert write.number(1134) == T("1,134", "1134")


def test_rankings_take_paired_names_and_refuse_unlike_quantities():
    values = pd.Series([3, 5], index=[T("design", "设计"), T("finance", "金融")])
    assert write.top(values, T("figures", "个数字"), of="figures") == T(
        "finance has the most figures (5)", "金融的个数字最多（5）"
    )
    with pytest.raises(sz.derive.UnlikeQuantities):
        write.top(values, T("figures", "个数字"), of=["people", "projects"])


def test_every_needs_the_english_verb_in_both_numbers():
    holds = pd.Series([True, True])
    assert write.every(holds, T("relations", "项关系"), T("holds/hold", "成立")) == T(
        "all 2 relations hold", "全部2项关系均成立"
    )
    with pytest.raises(ValueError, match="is …/are …"):
        write.every(holds, T("relations", "项关系"), T("hold", "成立"))


def test_glue_takes_a_pair_once(monkeypatch):
    glued = {}
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display: glued.setdefault(key, value))
    glue = sz.Glue()
    glue.text("area", write.area(408_400))
    assert glued["area"] == "408,400\u00a0m² (40.8\u00a0ha)"
    assert glued["zh:area"] == "40.84万平方米（40.8公顷）"
    with pytest.raises(ValueError, match="a pair already holds"):
        glue.text("again", T("a", "甲"), zh="乙")


def test_both_resolves_the_arguments_for_each_edition(monkeypatch):
    shown = []
    monkeypatch.setattr(
        "IPython.display.display", lambda obj, metadata: shown.append((metadata["lang"], obj))
    )

    def build(title, *, rows, lang):
        return f"{lang}:{title}:{','.join(rows)}"

    sz.show.both(build, T("Roads", "道路"), rows=[T("a", "甲"), "b"])
    assert shown == [("en", "en:Roads:a,b"), ("zh", "zh:道路:甲,b")]
