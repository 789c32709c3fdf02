"""The architecture, checked by reading the source: which widgets take free input, how checkpoints are
loaded, who reads the link and the environment, and where raw HTML may appear."""
from __future__ import annotations

import ast
import re

from harness.server import REPO


FREE_INPUT = {"text_input", "text_area", "chat_input", "number_input", "date_input", "time_input",
              "file_uploader", "camera_input", "audio_input", "data_editor"}


def test_every_free_input_box_is_one_tested_here():
    """The widgets that take what a visitor types or sends; a new one needs its own bad-input test."""
    found = sorted((path.relative_to(REPO).as_posix(), node.func.attr)
                   for path in [REPO / "app.py", *REPO.glob("app_pages/*.py"), *REPO.glob("ui/*.py")]
                   for node in ast.walk(ast.parse(path.read_text()))
                   if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                   and node.func.attr in FREE_INPUT)
    assert found == [("app_pages/class.py", "text_input"), ("app_pages/class.py", "text_input"),
                     ("app_pages/generate.py", "text_input"), ("app_pages/names.py", "file_uploader"),
                     ("app_pages/names.py", "text_area"), ("app_pages/names.py", "text_input"),
                     ("app_pages/train.py", "file_uploader"), ("app_pages/translate.py", "text_input"),
                     ("ui/class_names.py", "text_input")]


def test_checkpoints_load_only_with_weights_only(tmp_path):
    """Every torch.load in the project passes weights_only=True, so a file can never run code."""
    # Tests excluded: one of them loads a pickle bomb without weights_only, to show it is one.
    sources = [p for p in REPO.rglob("*.py") if not {".venv", "site-packages", "tests"} & set(p.parts)]
    calls = [(path, node) for path in sources for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Call) and ast.unparse(node.func) == "torch.load"]
    assert calls  # the checker sees the loader
    for path, call in calls:
        flags = {k.arg: k.value for k in call.keywords}
        assert isinstance(flags.get("weights_only"), ast.Constant) and flags["weights_only"].value is True, \
            f"{path.relative_to(REPO)}:{call.lineno} calls torch.load without weights_only=True"


def test_only_the_link_module_reads_the_link():
    """Every page's setup goes through ui/page_links.py, which checks each value it reads."""
    readers = [p.relative_to(REPO).as_posix() for p in [REPO / "app.py", *REPO.glob("app_pages/*.py"),
                                                          *REPO.glob("ui/*.py")]
               if "st.query_params" in p.read_text()]
    assert sorted(readers) == ["ui/i18n.py", "ui/page_links.py", "ui/projector.py"]
    # ui/i18n.py and ui/projector.py read and write their one parameter each, the language and projector
    # mode, and nothing else of the link
    for module in ("i18n.py", "projector.py"):
        uses = re.findall(r"st\.query_params\S*", (REPO / "ui" / module).read_text())
        assert uses and all(use.startswith(("st.query_params.get(QUERY_PARAM)", "st.query_params[QUERY_PARAM]"))
                            or use == "st.query_params:" for use in uses), (module, uses)


def test_raw_html_is_used_once_and_only_with_numbers():
    """unsafe_allow_html appears once, on the digit page's answer, and formats only numbers into it (the
    confidence through its message in the visitor's language, escaped). st.html appears only in
    ui/page_style.py, with the module's own fixed CSS and script (test_page_style_is_fixed_text)."""
    sources = [REPO / "app.py", *REPO.glob("app_pages/*.py"), *REPO.glob("ui/*.py")]
    raw = []
    for path in sources:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                assert name not in ("components.html", "st.components.v1.html"), f"{path}: {name}"
                assert name != "st.html" or path.name == "page_style.py", f"{path}: {name}"
                if any(k.arg == "unsafe_allow_html" for k in node.keywords):
                    raw.append((path.name, node))
    assert [name for name, _ in raw] == ["digits.py"]
    values = {ast.unparse(v.value) for part in ast.walk(raw[0][1].args[0]) if isinstance(part, ast.JoinedStr)
              for v in part.values if isinstance(v, ast.FormattedValue)}
    assert values == {"color", "reading.digit", "confidence"}
    source = (REPO / "app_pages" / "digits.py").read_text()  # the one message in it: a number, escaped
    assert 'confidence = html.escape(_("{percent:.0%} sure").format(percent=shown / 100))' in source


def test_page_style_is_fixed_text():
    """What ui/page_style.py hands st.html is made of its module's string constants alone: no value of a
    run (nothing a visitor typed, no message) can reach the page's CSS or script."""
    tree = ast.parse((REPO / "ui" / "page_style.py").read_text())
    constants = {target.id for node in tree.body if isinstance(node, ast.Assign)
                 and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                 for target in node.targets if isinstance(target, ast.Name)}
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.html"]
    assert calls
    for call in calls:
        names = {part.id for part in ast.walk(call.args[0]) if isinstance(part, ast.Name)}
        assert names <= constants | {"projector"}, names  # the flag only chooses between the constants
        assert not any(isinstance(part, (ast.JoinedStr, ast.Call)) for part in ast.walk(call.args[0]))
        condition = [part.test for part in ast.walk(call.args[0]) if isinstance(part, ast.IfExp)]
        assert all(ast.unparse(test) == "projector" for test in condition)


def test_page_never_opts_into_raw_html():
    source = (REPO / "app_pages" / "names.py").read_text() + (REPO / "ui" / "name_charts.py").read_text()
    assert "unsafe_allow_html" not in source and "st.html" not in source


def test_only_the_settings_module_reads_rnn_variables():
    read = re.compile(r"""(environ\.get\(|environ\[|getenv\()\s*(["']RNN_|\w*ENV_VAR)""")
    readers = [f"{path.relative_to(REPO)}:{number}"
               for folder in ("rnn_core", "ui", "app_pages", "classroom", "migrations")
               for path in sorted((REPO / folder).rglob("*.py"))
               if path.name != "settings.py"
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if read.search(line)]
    assert not readers, readers


STREAMLIT = ("st", "streamlit")  # the names a module imports Streamlit as


def is_private_streamlit(name: str) -> bool:
    """streamlit.runtime, streamlit.web, or anything of Streamlit's whose name starts with _."""
    parts = name.split(".")
    return parts[0] == "streamlit" and (parts[1:2] in (["runtime"], ["web"]) or any(p.startswith("_") for p in parts))


def reaches_into_streamlit(tree: ast.AST) -> list[str]:
    """What a module takes from Streamlit's insides, by import or through st.runtime, st._..."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in STREAMLIT:
            names.append(f"streamlit.{node.attr}")
    return [name for name in names if is_private_streamlit(name)]


def test_only_the_serving_module_reaches_into_streamlit():
    """Every patch of Streamlit's private code sits in ui/serving.py, with its catalogue; no page does it."""
    reaching = sorted(path.relative_to(REPO).as_posix()
                      for path in [REPO / "app.py", *REPO.glob("app_pages/*.py"), *REPO.glob("ui/*.py")]
                      if reaches_into_streamlit(ast.parse(path.read_text())))
    assert reaching == ["ui/serving.py"], reaching
