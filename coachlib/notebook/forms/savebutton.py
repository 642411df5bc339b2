"""A Save button whose click carries what the browser holds: no typed character is lost.

ipywidgets sends a text field's changes to the kernel one at a time, holding back the next
while one is in flight, but a button click goes at once, so a click can reach the kernel
before the last keystrokes (measured in JupyterLab: 7 of 20 saves lost characters over a
100-300 ms round trip, as on a JupyterHub). Waiting a fixed time after the click is slow
and still a guess. This button (an anywidget: a few lines of JavaScript shipped inline, no
network) reads the current value of every field of its form in the browser when clicked
and sends them with the click, in one message; the kernel saves exactly those values.

It marks itself busy until the kernel answers, so a double click is one save, and stays
focusable (a disabled button would drop the keyboard focus to the page). A form restored
from saved widget state without a kernel says so instead of silently doing nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

Values = dict[w.Widget, Any]
"""A widget's value as the browser held it at the click, for each field of the form."""

_ESM = r"""
const PREFIX = "IPY_MODEL_";
const DISPLAY_ONLY = new Set(["HTMLModel", "HTMLMathModel", "LabelModel", "FloatProgressModel",
                              "IntProgressModel", "ValidModel", "OutputModel"]);

function readState(m) {
  const entry = {};
  for (const k of ["value", "index"]) {
    const v = m.get(k);
    if (v === undefined) continue;
    const ser = m.constructor && m.constructor.serializers && m.constructor.serializers[k];
    entry[k] = ser && ser.serialize ? ser.serialize(v, m) : v;
  }
  return entry;
}

async function collect(model) {
  const wm = model.widget_manager;
  const out = {};
  const seen = new Set();
  async function resolve(ref) {
    if (ref == null) return null;
    if (typeof ref === "string") {
      return await wm.get_model(ref.startsWith(PREFIX) ? ref.slice(PREFIX.length) : ref);
    }
    return ref;
  }
  async function walk(ref) {
    const m = await resolve(ref);
    if (!m || !m.model_id || seen.has(m.model_id)) return;
    seen.add(m.model_id);
    if (!DISPLAY_ONLY.has(m.get("_model_name"))) {
      const entry = readState(m);
      if (Object.keys(entry).length) out[m.model_id] = entry;
    }
    const children = m.get("children");
    if (Array.isArray(children)) for (const c of children) await walk(c);
  }
  const form = model.get("form");
  for (const r of Array.isArray(form) ? form : [form]) await walk(r);
  return out;
}

function render({ model, el }) {
  const btn = document.createElement("button");
  btn.type = "button";
  btn.className = "jupyter-widgets jupyter-button widget-button mod-primary";
  let busy = false, req = null, timer = null, n = 0;
  const viewId = Math.random().toString(36).slice(2);
  const sync = () => {
    btn.textContent = model.get("description");
    btn.title = model.get("tooltip") || "";
    btn.disabled = model.get("disabled");
    btn.setAttribute("aria-disabled", String(busy || model.get("disabled")));
    btn.setAttribute("aria-busy", String(busy));
    btn.classList.toggle("coach-save-busy", busy);
  };
  const done = () => { busy = false; clearTimeout(timer); sync(); };
  const msg = document.createElement("span");
  msg.className = "coach-save-msg";
  msg.setAttribute("role", "status");
  btn.addEventListener("click", async () => {
    if (busy || model.get("disabled")) return;
    if (btn.closest(".jupyter-widgets-disconnected")) {
      msg.textContent = "Not connected to a kernel: run the cell again to use this form.";
      return;
    }
    msg.textContent = "";
    busy = true; sync();
    const myReq = req = `${viewId}-${++n}`;
    try {
      const values = await collect(model);
      model.send({ event: "save", req: myReq, values });
      timer = setTimeout(() => {
        if (req !== myReq) return;
        msg.textContent = "No answer from the kernel: the form may not have been saved.";
        done();
      }, model.get("timeout_ms"));
    } catch (e) {
      msg.textContent = "Could not read the form: " + e;
      done();
    }
  });
  const onMsg = (m) => {
    if (!m || m.req !== req || (m.event !== "saved" && m.event !== "error")) return;
    msg.textContent = m.event === "error" ? "Save failed: " + m.message : "";
    done();
  };
  model.on("msg:custom", onMsg);
  model.on("change:description", sync);
  model.on("change:tooltip", sync);
  model.on("change:disabled", sync);
  sync();
  el.append(btn, msg);
  return () => { clearTimeout(timer); model.off("msg:custom", onMsg); };
}
export default { render };
"""

_CSS = """
.coach-save-busy { opacity: var(--jp-widgets-disabled-opacity, 0.6); cursor: progress; }
.coach-save-msg { margin-left: 8px; color: var(--jp-error-color1, #a40000);
                  font-size: var(--jp-widgets-font-size); }
"""


class SaveButton(anywidget.AnyWidget):
    """Calls ``on_save(values)`` with the browser's values of every field under ``form``."""

    _esm = _ESM
    _css = _CSS
    form = traitlets.Any(None, allow_none=True).tag(sync=True, **w.widget_serialization)
    description = traitlets.Unicode("Save").tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    timeout_ms = traitlets.Int(30_000).tag(sync=True)

    def __init__(self, on_save: Callable[[Values], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_save = on_save
        self.on_msg(self._received)

    origin: str | None = None
    """Which browser view sent the click being saved (None: a click from Python). In a live
    session two people's views share this button: a form tells their clicks apart by it."""

    def click(self, values: Values | None = None, *, origin: str | None = None) -> None:
        """Save as if clicked (from Python: tests, scripts); ``values`` as the browser's,
        ``origin`` as the view that clicked."""
        self.origin = origin
        self._on_save(values or {})

    def browser_values(self, raw: dict[str, dict[str, Any]]) -> Values:
        """The browser's state of each field, as the Python value of its widget."""
        by_id = {item.model_id: item for item in _widgets_under(self.form) if item is not self}
        out: Values = {}
        for model_id, entry in raw.items():
            item = by_id.get(model_id)
            if item is None or not item.has_trait("disabled"):
                continue  # not a field of this form (any more), or display only
            try:
                out[item] = _decode(item, entry)
            except (KeyError, IndexError, TypeError, ValueError):
                continue  # a value the widget cannot hold: its Python value stands
        return out

    def _received(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("event") != "save":
            return
        request = content.get("req")
        self.origin = str(request).rsplit("-", 1)[0]  # the view's id, without the click count
        try:
            self._on_save(self.browser_values(content.get("values") or {}))
        except Exception as exc:  # the form shows its own errors; this only unblocks the button
            self.send({"event": "error", "req": request, "message": f"{type(exc).__name__}"})
            raise
        self.send({"event": "saved", "req": request})


def _widgets_under(root: Any) -> Iterator[w.Widget]:
    stack = list(root) if isinstance(root, list | tuple) else [root]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if not isinstance(item, w.Widget) or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        stack.extend(getattr(item, "children", ()) or ())


def _decode(item: w.Widget, entry: dict[str, Any]) -> Any:
    """A field's browser state as its Python value: an option for a selection widget."""
    if "index" in entry and hasattr(item, "_options_values"):
        index = entry["index"]
        if index is None:
            return None
        if isinstance(index, list | tuple):  # a multiple selection: every option chosen
            return tuple(item._options_values[i] for i in index)
        return item._options_values[index]
    from_json = item.trait_metadata("value", "from_json", item._trait_from_json)
    return from_json(entry["value"], item)
