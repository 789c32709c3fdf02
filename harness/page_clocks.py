"""In-page clocks shared by the browser benchmarks: scripts that run inside the page and time by
performance.now(), so Playwright's own round trips never count.

Every clock is driven by events (a MutationObserver), not by polling. A loop on requestAnimationFrame
keeps its tab drawing 60 frames a second for as long as it waits: about 0.06 of a core per tab on this
machine, which is nothing for one tab and most of two cores for thirty (bench_classroom.py). A clock asks
for one animation frame only once the text is in the page, and stops the time there: the frame that
shows it. Waiting for the result from Python polls every WAIT_POLL_MS, which costs the page nothing
visible and does not move the time measured.
"""

WAIT_POLL_MS = 100  # Playwright's wait_for_function(..., polling=WAIT_POLL_MS) on a clock's result

# Watches the whole document: the elements a clock looks for are replaced on every rerun.
_OBSERVE = "{subtree: true, childList: true, characterData: true, attributes: true}"

# From the mouse-up (a stroke's end, or a click's) to the first frame with `text` inside `selector`,
# outside stale elements. MARK_MOUSE_UP_JS once per page; WATCH_TEXT_JS([selector, text]) before each
# mouse-up; TEXT_ELAPSED_JS then gives the time (null until then).
MARK_MOUSE_UP_JS = "() => window.addEventListener('mouseup', () => { window.__start = performance.now(); }, true)"
WATCH_TEXT_JS = """([selector, text]) => {
    window.__start = null;
    window.__elapsed = null;
    const seen = () => [...document.querySelectorAll(selector)].some(
        e => e.closest('[data-stale="true"]') === null && e.innerText.includes(text));
    const observer = new MutationObserver(() => {
        if (window.__start === null || !seen()) return;
        observer.disconnect();
        requestAnimationFrame(() => { window.__elapsed = performance.now() - window.__start; });
    });
    observer.observe(document.body, %s);
}""" % _OBSERVE
TEXT_ELAPSED_JS = "() => window.__elapsed"

# The letters under the names page's heatmap: the labels of Vega's x axis (Vega names it in aria-label). Vega
# updates the chart in place, so they are read in their order on screen, not in the document.
HEATMAP_LETTERS = ".role-axis[aria-label^='X-axis'] .role-axis-label text"

# The names page's answer is on screen when the live answer names `name` and the heatmap spells it.
# MARK_KEY_UP_JS once per page; WATCH_NAME_JS(name) before typing it; the time from the last key up to
# that frame is then given by NAME_ELAPSED_JS (null until then).
MARK_KEY_UP_JS = "() => document.addEventListener('keyup', () => { window.__keyUp = performance.now(); }, true)"
WATCH_NAME_JS = """name => {
    window.__nameElapsed = null;
    const live = sel => [...document.querySelectorAll(sel)].find(e => !e.closest('[data-stale="true"]'));
    const seen = () => {
        const answer = live('.st-key-names_answer');
        const heatmap = live('.st-key-names_heatmap');
        const letters = heatmap ? [...heatmap.querySelectorAll(%s)]
            .sort((a, b) => a.getBoundingClientRect().x - b.getBoundingClientRect().x)
            .map(t => t.textContent).join('') : '';
        return answer && answer.innerText.includes('for ' + name) && letters === name.replaceAll(' ', '␣');
    };
    const observer = new MutationObserver(() => {
        if (!seen()) return;
        observer.disconnect();
        requestAnimationFrame(() => { window.__nameElapsed = performance.now() - window.__keyUp; });
    });
    observer.observe(document.body, %s);
}""" % (repr(HEATMAP_LETTERS), _OBSERVE)
NAME_ELAPSED_JS = "() => window.__nameElapsed"

def count_updates_js(chart: str, status: str) -> str:
    """JS that, for `ms` milliseconds, counts how often a chart (its drawn lines, under the CSS selector
    `chart`) and a step counter (the text under `status`) change on screen: at most once per frame, as the
    visitor sees them. It returns the counts, the steps taken meanwhile, the counter's last text, and each
    new counter text with the seconds it appeared at."""
    return """async (ms) => {
  const lines = () => [...document.querySelectorAll('%s .mark-line path')]
    .map(p => p.getAttribute('d')).join('|');
  const status = () => {
    const box = document.querySelector('%s');
    return box ? box.innerText : null;
  };
  // Stale copies of an element can linger during a rerun: count a change only when the step goes up.
  // The chart and the counter are counted apart: Vega draws new data a frame or so after the text changed.
  const step = (text) => text ? Number((text.match(/step ([\\d,]+)/i) || [0, "0"])[1].replace(/,/g, "")) : 0;
  let lastLines = lines(), lastStatus = step(status()), charts = 0, counters = 0, frameAsked = false;
  const first = lastStatus, texts = [], start = performance.now();
  const count = () => {
    frameAsked = false;
    const l = lines(), s = step(status());
    if (l && l !== lastLines) { charts += 1; lastLines = l; }
    if (s > lastStatus) { counters += 1; lastStatus = s; texts.push([(performance.now() - start) / 1000, status()]); }
  };
  const observer = new MutationObserver(() => {
    if (!frameAsked) { frameAsked = true; requestAnimationFrame(count); }
  });
  observer.observe(document.body, %s);
  await new Promise(resolve => setTimeout(resolve, ms));
  observer.disconnect();
  return {charts, counters, steps: step(status()) - first, seconds: (performance.now() - start) / 1000,
          last: status(), texts};
}""" % (chart, status, _OBSERVE)


COUNT_UPDATES_JS = count_updates_js(".st-key-waves_window_chart", ".st-key-waves_status")  # the wave page
