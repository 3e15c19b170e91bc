"""The small escaped HTML table."""

from __future__ import annotations

from projection.app_support.html_table import render_table


def test_tables_escape_every_cell_and_keep_the_column_order() -> None:
    table = render_table([{"span": "<script>x</script>", "label": "PER", "score": None}], ["label", "span", "score"])
    assert "<script>" not in table and "&lt;script&gt;x&lt;/script&gt;" in table
    assert table.index("<th>label</th>") < table.index("<th>span</th>")
    assert "<td>—</td>" in table
    assert render_table([{"score": 0.5}]).count("<td>0.50</td>") == 1
