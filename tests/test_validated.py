"""Each version of the data is validated once: ``sz.load()`` records a successful validation
under ``_build/cache`` and skips Frictionless and the semantic checks while every file of the
package and the validating code are as they were (``shizhong.validated``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import shizhong as sz
from shizhong import validate, validated
from shizhong.problems import DataError

from .conftest import ROOT, line_of, set_cell, spy


@pytest.fixture
def recorded(data_copy: Path) -> Path:
    """A copy of the data loaded once: its validation is recorded."""
    sz.load(data_copy)
    assert validated.record_path(data_copy).is_file()
    return data_copy


@pytest.fixture
def count_validations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The data folders validated in full from now on."""
    return spy(monkeypatch, validated, "run")


def frames_equal(a: sz.Dataset, b: sz.Dataset) -> None:
    for name in ("indicators", "units", "exchange_rates", "labels", "checks"):
        assert a.table(name).equals(b.table(name)), name
        assert list(a.table(name).dtypes) == list(b.table(name).dtypes), name
    assert a.article == b.article
    assert a.descriptor == b.descriptor


def test_the_record_is_json_beside_the_build_not_in_data(data_copy: Path) -> None:
    before = sorted(p.relative_to(data_copy) for p in data_copy.rglob("*"))
    sz.load(data_copy)
    assert sorted(p.relative_to(data_copy) for p in data_copy.rglob("*")) == before
    path = validated.record_path(data_copy)
    assert path.parent == data_copy.parent / "_build" / "cache"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert set(record) == {"format", "key"}
    assert len(record["key"]) == 64 and set(record["key"]) <= set("0123456789abcdef")


def test_a_recorded_version_is_not_validated_again(recorded, count_validations) -> None:
    fast = sz.load(recorded)
    assert count_validations == []
    validated.forget(recorded)
    full = sz.load(recorded)
    assert count_validations == [recorded]
    frames_equal(fast, full)


def test_frictionless_is_not_imported_for_a_recorded_version(recorded: Path) -> None:
    code = (
        "import sys, shizhong as sz\n"
        f"sz.load({str(recorded)!r})\n"
        "print('frictionless' in sys.modules, 'shizhong.semantics' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]  # semantics is imported, not run


@pytest.mark.parametrize(
    ("row_id", "column", "value", "message"),
    [
        ("finance_tax", "value", "12,5", "is not a valid number"),  # Frictionless
        ("finance_tax", "subject_en", "<script>x</script>", "HTML"),  # text rules
        ("finance_tax", "value", "99.9", "finance_tax"),  # semantics: not the written value
    ],
)
def test_one_changed_cell_after_a_load_gets_its_located_error(
    recorded, count_validations, row_id, column, value, message
) -> None:
    path = recorded / "indicators.csv"
    set_cell(path, row_id, column, value)
    with pytest.raises(DataError) as caught:
        sz.load(recorded)
    assert count_validations == [recorded]
    problems = caught.value.problems
    assert problems == validate.run(recorded).problems  # as without any record
    first = str(problems[0])
    assert "\n" not in first and message in first
    assert first.startswith(f"data/indicators.csv: line {line_of(path, row_id)} (id={row_id})")
    # The failed validation left the record of the good version alone, and it still holds
    # for nothing but the good version's bytes.
    with pytest.raises(DataError):
        sz.load(recorded)


def test_a_new_file_in_the_data_folder_validates_again(recorded, count_validations) -> None:
    (recorded / "notes.txt").write_text("a note", encoding="utf-8")
    sz.load(recorded)
    assert count_validations == [recorded]
    sz.load(recorded)
    assert count_validations == [recorded]


def test_changed_validation_code_validates_again(
    recorded, count_validations, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = validated.code_version
    monkeypatch.setattr(validated, "code_version", lambda: real() + "changed")
    sz.load(recorded)
    assert count_validations == [recorded]


def test_a_broken_record_is_ignored(recorded, count_validations) -> None:
    validated.record_path(recorded).write_bytes(b"\x80\x04not json")
    sz.load(recorded)
    assert count_validations == [recorded]


def test_make_validate_checks_in_full_whatever_the_record_says(data_copy: Path) -> None:
    set_cell(data_copy / "indicators.csv", "finance_tax", "value", "99.9")
    # A forged record that matches the broken data: sz.load() would trust it...
    validated.remember(data_copy, validated.key(validated.snapshot(data_copy)))
    sz.load(data_copy)
    # ...but `make validate` (python -m shizhong validate) never does.
    done = subprocess.run(
        [sys.executable, "-m", "shizhong", "validate", str(data_copy)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1
    assert "line 5 (id=finance_tax), column value" in done.stderr


def test_the_validating_code_is_all_in_the_key() -> None:
    """Every shizhong module that validation imports is hashed into the key."""
    code = (
        "import sys, shizhong.validate, shizhong.validated, shizhong.dataset\n"
        "print(' '.join(sorted(m.split('.', 1)[1] for m in sys.modules"
        " if m.startswith('shizhong.'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported = set(done.stdout.split())
    assert imported <= {*validated.CODE, "inputs"}, imported - set(validated.CODE)
    assert all((ROOT / "lib" / "shizhong" / f"{name}.py").is_file() for name in validated.CODE)


def test_data_edited_while_validating_is_not_recorded(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = validated.run

    def run_then_edit(data_dir):
        checked = real(data_dir)
        set_cell(data_dir / "indicators.csv", "finance_tax", "value", "12,5")
        return checked

    monkeypatch.setattr(validated, "run", run_then_edit)
    with pytest.raises(DataError, match="changed while it was being validated"):
        sz.load(data_copy)
    assert not validated.record_path(data_copy).exists()
