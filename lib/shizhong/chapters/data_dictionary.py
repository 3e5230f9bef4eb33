"""The data dictionary appendix: the package, its source article, each table's fields and the
files to download, written from the descriptor (``datapackage.json``) in both languages.

Each table builder takes the dataset and the edition's ``lang``
(``show.both(data_dictionary.fields_table, data, "units")``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from shizhong import show, write
from shizhong.bilingual import T, resolve
from shizhong.dataset import find_data_dir

if TYPE_CHECKING:
    from IPython.display import Markdown

    from shizhong.dataset import Dataset
    from shizhong.glue import Glue

#: The tables the appendix has a section for, in its order. Every table of the descriptor
#: must have one: a new table is added here and to the notebook.
DOCUMENTED: Final = (
    "indicators",
    "units",
    "exchange_rates",
    "checks",
    "focus_areas",
    "focus_links",
    "industries",
    "strategies",
    "road_works",
    "entities",
    "glossary",
    "numeral_exclusions",
    "labels",
)
#: The one resource that is not a table: the article's text.
ARTICLE: Final = "article"
#: What the descriptor file itself holds, for the downloads.
DESCRIPTOR: Final = T(
    "The package descriptor: tables, fields, keys, source and licence",
    "数据包描述文件：表、字段、键、来源和许可",
)
NONE: Final = T("none", "无")


def resources(data: Dataset) -> dict[str, dict[str, Any]]:
    """The descriptor's resources by name."""
    return {r["name"]: r for r in data.descriptor["resources"]}


def tables(descriptor: dict[str, Any]) -> list[str]:
    """The names of the descriptor's tables, which must be :data:`DOCUMENTED` (ValueError
    naming the tables without a section, or the sections without a table)."""
    names = [r["name"] for r in descriptor["resources"]]
    found = [name for r, name in zip(descriptor["resources"], names, strict=True) if "schema" in r]
    if found != list(DOCUMENTED) or set(names) != {*DOCUMENTED, ARTICLE}:
        odd = sorted(set(names) ^ {*DOCUMENTED, ARTICLE}) or "their order"
        raise ValueError(f"undocumented or missing tables: {odd}")
    return found


def keys(resource: dict[str, Any]) -> tuple[T, T]:
    """The primary key and the foreign keys of a table: ('id', 'chapter → labels (key)')."""
    schema = resource["schema"]
    primary = ", ".join(schema.get("primaryKey", []))
    foreign = "; ".join(
        f"{', '.join(fk['fields'])} → {fk['reference']['resource']} "
        f"({', '.join(fk['reference']['fields'])})"
        for fk in schema.get("foreignKeys", [])
    )
    return (T.same(primary) if primary else NONE), (T.same(foreign) if foreign else NONE)


def glue_package(g: Glue, data: Dataset) -> Glue:
    """The package's title, version, licence, checksum and size, and each table's title, rows
    and keys (``dd_<table>_title`` …)."""
    descriptor, found = data.descriptor, tables(data.descriptor)
    g.text("dd_title", T(descriptor["title"], descriptor["title_zh"]))
    g.text("dd_version", T.same(descriptor["version"]))
    g.text("dd_license", T.same(descriptor["licenses"][0]["name"]))
    g.text("dd_sha256", T.same(data.source["sha256"]))
    # A count of tables in words in English, in digits in Chinese (13张表).
    g.text("dd_n_tables", T(write.words(len(found)).en, write.number(len(found)).zh))
    g.text("dd_n_rows", write.number(sum(len(data.table(name)) for name in found)))
    by_name = resources(data)
    for name in found:
        resource = by_name[name]
        primary, foreign = keys(resource)
        g.text(f"dd_{name}_title", T(resource["title"], resource["title_zh"]))
        g.text(f"dd_{name}_rows", write.number(len(data.table(name))))
        g.text(f"dd_{name}_pk", primary)
        g.text(f"dd_{name}_fk", foreign)
    return g


def _table(frame: pd.DataFrame, lang: str, **kwargs: Any) -> Markdown:
    """:func:`shizhong.show.table` of ``frame`` with every pair in ``lang``."""
    return show.table(resolve(frame, lang), **resolve(kwargs, lang))


def overview_table(data: Dataset, lang: str) -> Markdown:
    """One row per table: name, file, title, rows, fields."""
    by_name = resources(data)
    frame = pd.DataFrame(
        {
            "table": show.code(name),
            "file": by_name[name]["path"],
            "title": T(by_name[name]["title"], by_name[name]["title_zh"]),
            "rows": len(data.table(name)),
            "fields": len(by_name[name]["schema"]["fields"]),
        }
        for name in tables(data.descriptor)
    )
    columns = {
        "table": T("Table", "表"),
        "file": T("File", "文件"),
        "title": T("Title", "标题"),
        "rows": T("Rows", "行数"),
        "fields": T("Fields", "字段数"),
    }
    return _table(
        frame, lang, columns=columns, widths=[0.25, 0.27, 0.26, 0.09, 0.09], markup=["table"]
    )


def _names(source: dict[str, Any], key: str) -> T:
    """Chinese names with their romanisation: '朱振 (Zhu Zhen), 李猛 (Li Meng)'."""
    pairs = zip(source[key], source[f"{key}_en"], strict=True)
    return T.same(", ".join(f"{zh} ({en})" for zh, en in pairs))


def about(data: Dataset) -> pd.DataFrame:
    """What is known of the source article, one property a row (columns ``property`` and
    ``value``, both pairs)."""
    source = data.source
    published, publisher = source["published"], source["publisher"]
    inferred = published["inferred"]
    rows = [
        (T("Title", "标题"), T.same(source["title"])),
        (T("Title in English", "英文标题"), T.same(source["title_en"])),
        (T("Authors", "作者"), _names(source, "authors")),
        (T("Photographers", "摄影"), _names(source, "photographers")),
        (T("Language", "语言"), T.same(source["language"])),
        (T("Reviews the year", "回顾年度"), T.same(str(source["reports_on"]["review_year"]))),
        (T("Plans the year", "计划年度"), T.same(str(source["reports_on"]["plan_year"]))),
        (
            T("Published", "发表时间"),
            T(published["value"], published["value_zh"])
            + (T(" (inferred)", "（推断）") if inferred else ""),
        ),
        (T("Basis of the date", "日期依据"), T(published["basis"], published["basis_zh"])),
        (
            T("Publisher", "发表媒体"),
            T.same(publisher["value"]) if publisher["value"] else T("unknown", "不详"),
        ),
        (T("About the publisher", "关于媒体"), T(publisher["note"], publisher["note_zh"])),
        (T("File", "文件"), T.same(source["path"])),
        (
            T("Characters (spaces and line breaks included)", "字符数（含空白）"),
            write.number(len(data.article)),
        ),
    ]
    return pd.DataFrame(rows, columns=["property", "value"])


def about_table(data: Dataset, lang: str) -> Markdown:
    """The source article's properties as a two-column table."""
    frame = about(data).rename(
        columns={"property": T("Property", "项目"), "value": T("Value", "内容")}
    )
    return _table(frame, lang, widths=[0.22, 0.74])


def constraints(field: dict[str, Any]) -> T:
    """Whether the field is required, its other constraints and its number format (Markdown:
    names and values as code, the rest escaped)."""
    c = field.get("constraints", {})
    parts = [T("required", "必填") if c.get("required") else T("optional", "可选")]
    if c.get("unique"):
        parts.append(T("unique", "不重复"))
    if "pattern" in c:
        parts.append(T("pattern ", "模式 ") + show.code(c["pattern"]))
    if "enum" in c:
        parts.append(T("one of ", "取值之一：") + ", ".join(show.code(v) for v in c["enum"]))
    if "minimum" in c:
        parts.append(show.markdown_text(f"≥ {c['minimum']}"))
    if "maximum" in c:
        parts.append(show.markdown_text(f"≤ {c['maximum']}"))
    for key in sorted(set(c) - {"required", "unique", "pattern", "enum", "minimum", "maximum"}):
        parts.append(show.markdown_text(f"{key} {c[key]}"))
    if "decimalChar" in field:
        parts.append(T("decimal mark ", "小数点 ") + show.code(field["decimalChar"]))
    if field.get("bareNumber") is True:
        parts.append(T("bare number", "纯数字"))
    return T("; ", "；").join(parts)


def fields(data: Dataset, name: str) -> pd.DataFrame:
    """One row per field of a table: name, type, constraints, description."""
    return pd.DataFrame(
        {
            "name": show.code(f["name"]),
            "type": f["type"],
            "constraints": constraints(f),
            "description": T(f.get("description", "—"), f.get("description_zh", "—")),
        }
        for f in resources(data)[name]["schema"]["fields"]
    )


def fields_table(data: Dataset, name: str, lang: str) -> Markdown:
    """The fields of table ``name``: name, type, constraints (required first), description."""
    columns = {
        "name": T("Field", "字段"),
        "type": T("Type", "类型"),
        "constraints": T("Required and constraints", "必填与约束"),
        "description": T("Description", "说明"),
    }
    return _table(
        fields(data, name),
        lang,
        columns=columns,
        widths=[0.2, 0.12, 0.3, 0.34],
        markup=["name", "constraints"],
    )


def downloads(data: Dataset, folder: Path | None = None) -> pd.DataFrame:
    """The package's files (the descriptor first) as download links, with what each holds.

    Every file must be in ``folder`` (default: the data folder the book loads), so that no
    link is broken (FileNotFoundError naming the missing ones)."""
    folder = folder if folder is not None else find_data_dir()
    files = [("datapackage.json", DESCRIPTOR, "application/json")]
    files += [
        (r["path"], T(r["title"], r["title_zh"]), r["mediatype"])
        for r in data.descriptor["resources"]
    ]
    missing = [path for path, _, _ in files if not (folder / path).is_file()]
    if missing:
        raise FileNotFoundError(f"not in {folder}: {', '.join(missing)}")
    return pd.DataFrame(
        {"file": f"{{download}}`{path} </data/{path}>`", "contents": title, "format": mediatype}
        for path, title, mediatype in files
    )


def downloads_table(data: Dataset, lang: str) -> Markdown:
    """The files of the package, each a download link in the HTML edition."""
    columns = {
        "file": T("File", "文件"),
        "contents": T("Contents", "内容"),
        "format": T("Format", "格式"),
    }
    return _table(
        downloads(data),
        lang,
        columns=columns,
        widths=[0.4, 0.38, 0.18],
        markup=["file"],  # download roles written here, to validated paths
    )
