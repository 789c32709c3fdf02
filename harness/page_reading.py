"""Reading what a page run under AppTest shows: the digit answer, plotly figures, rendered markdown."""
from __future__ import annotations

import base64
import json
import re

import numpy as np
import pyarrow as pa
from streamlit.testing.v1 import AppTest


def shown_answer(app: AppTest) -> int | None:
    """The big digit on the digit page, or None when the page shows no answer."""
    answers = [m.value for m in app.markdown if "digit-answer" in m.value]
    assert len(answers) <= 1
    return int(re.search(r">(\d)</div>", answers[0]).group(1)) if answers else None


def charts(at: AppTest) -> dict[str, dict]:
    """The page's charts by their key: a plotly figure as sent; a Vega-Lite chart (keyed by the container
    around it) as its spec, with its first dataset's rows under "rows" and every dataset's, by name, under
    "datasets"."""
    found = {chart.proto.id.rsplit("-", 1)[-1]: json.loads(chart.proto.spec) for chart in at.get("plotly_chart")}

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if child.type == "vega_lite_chart" and node.proto.id:
                spec = json.loads(child.proto.spec)
                spec["datasets"] = {dataset.name: pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
                                    for dataset in child.proto.datasets}
                spec["rows"] = next(iter(spec["datasets"].values()))
                found[node.proto.id.rsplit("-", 1)[-1]] = spec
            walk(child)

    walk(at._tree)
    return found


def array(value) -> np.ndarray:
    """A figure's array: plotly sends numpy arrays as base64 typed arrays, lists as they are."""
    if isinstance(value, dict):
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return data.reshape([int(n) for n in str(value.get("shape", len(data))).split(",")])
    return np.asarray(value)


def rendered_markup(at: AppTest) -> list[str]:
    """Every string on the page that Streamlit renders as markdown."""
    elements = [*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.info, *at.warning,
                *at.error, *at.success]
    return [element.value for element in elements] + [metric.label for metric in at.metric]


def assert_never_rendered(at: AppTest, text: str) -> None:
    for body in rendered_markup(at):
        assert text.strip() not in body, f"user text reached markdown: {body!r}"
