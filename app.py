"""RNN Playground: watch recurrent neural networks read, learn and predict, live in the browser.

Run with `streamlit run app.py`. This file sets up the pages and the sidebar; each page is in app_pages/.
(Not pages/: Streamlit treats a folder of that name as the legacy automatic page list, and a direct link to
a page on a freshly started server would then run that page without this file's navigation and sidebar.)
"""
import rnn_core  # noqa: F401  first of all: it sets torch's threads for every thread, before torch loads
import streamlit as st
import torch

from rnn_core.checkpoint_meta import ClassifierMetrics, GeneratorMetrics, TranslatorMetrics
from ui import serving
from ui.class_banner import class_banner, class_view
from ui.class_session import keep_in_link as keep_class_in_link
from ui.engine_words import engine_words
from ui.i18n import _, choose_language, join_sentences, language_switch, ngettext, number, percent
from ui.icon import app_icon
from ui.live_updates import live_update_schedule
from ui.page_style import add_script, add_style
from ui.pages import HOME, PAGES
from ui.projector import choose_projector, projector_switch
from ui.resources import device_choice, digit_models, generator_model, names_model, translator_models

serving.install()  # what this app does to Streamlit, and why: the catalogue in ui/serving.py


def held_out_score(metrics: ClassifierMetrics | GeneratorMetrics | TranslatorMetrics | None) -> str:
    """A shipped model's figure on held-out data: a classifier's accuracy, a generator's bits per letter, a
    translator's exact match."""
    if isinstance(metrics, TranslatorMetrics):
        return percent(metrics.exact_match, 2)
    if isinstance(metrics, GeneratorMetrics):
        return _("{bits} bits per letter").format(bits=number(metrics.bits_per_character, 2))
    if isinstance(metrics, ClassifierMetrics) and metrics.accuracy is not None:
        return percent(metrics.accuracy, 2)
    return _("not measured")


choose_language()  # before any word is shown: ?lang=, else this session's choice, else the browser's language
projector = choose_projector()  # ?projector=, else this session's choice
st.set_page_config(page_title=_("RNN Playground"), page_icon=app_icon(), layout="wide",
                   initial_sidebar_state="collapsed" if projector else "auto")
add_style(projector)

view = class_view()  # before the navigation: a class the teacher locked hides it from students
page = st.navigation([st.Page(entry.path, title=_(entry.title), icon=entry.icon, default=entry is HOME)
                      for entry in PAGES], position="hidden" if view.locked else "sidebar")
keep_class_in_link(view.member, page.url_path)

with st.sidebar:
    language_switch()
    projector_switch()
    choice = device_choice()
    st.caption(_("Running on"))
    if choice.device.type == "cpu":
        threads = torch.get_num_threads()  # as rnn_core.device.describe_device counts them
        description = ngettext("CPU · {count} thread", "CPU · {count} threads", threads).format(count=threads)
    else:
        description = choice.description  # a device's name: CUDA · NVIDIA H100, Apple MPS · GPU
    st.markdown(f"**{description}**")
    if choice.warnings:
        # the engine names the device it fell back to as describe_device does: the description above, translated
        st.warning(join_sentences(engine_words(warning).replace(choice.description, description)
                            for warning in choice.warnings))
    st.caption(_("Pretrained models · on their test sets"))
    models = {**{_("Digits · {cell}").format(cell=k): v for k, v in digit_models().items()},
              _("Names · BiGRU"): names_model(), _("Name generator · LSTM"): generator_model(),
              _("Translator · GRU with attention"): translator_models()[0]}
    for label, loaded in models.items():
        if loaded.checkpoint is None:
            st.markdown(f":material/error: {label} · :red[" + _("not available") + "]")
        else:
            st.markdown(f":material/check_circle: {label} · {held_out_score(loaded.checkpoint.metadata.test_metrics)}")
    broken = {label: loaded.error for label, loaded in models.items() if loaded.checkpoint is None}
    if broken:
        with st.expander(_("Why some models are missing")):
            for label, error in broken.items():
                st.text(f"{label}: {engine_words(error)}")
    add_script()

serving.freeze_shared_heap()  # not in install(): the models loaded just above must be frozen too

if class_banner(view, page.url_path):  # a paused class shows "eyes on the teacher" instead of the page
    with live_update_schedule().interactive():  # a page run is what a visitor waits for: live ticks hold back
        page.run()
