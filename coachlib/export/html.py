"""An executed notebook as one self-contained HTML page (nbconvert, coachlib's template).

No scripts, no fonts or styles from the network, charts inline as PNG with alt text, a
print stylesheet. All user text was escaped by ``views.html`` when the notebook showed it;
widget outputs, stderr and cells tagged ``export-hide`` (instructions such as "Run all
cells") are left out.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..model.errors import ExportError

TEMPLATE_NAME = "coach_summary"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def notebook_to_html(notebook, *, title: str) -> str:
    """Convert an executed notebook to one self-contained HTML page, input hidden."""
    notebook.metadata.pop("widgets", None)
    notebook.metadata["title"] = title
    notebook.cells = [
        cell for cell in notebook.cells if "export-hide" not in cell.metadata.get("tags", [])
    ]
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                output
                for output in cell.outputs
                if WIDGET_MIME not in output.get("data", {})
                and not (output.get("output_type") == "stream" and output.get("name") == "stderr")
            ]
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.outputs):
            raise ExportError(f"the notebook has an error in cell {cell.get('id')}")
    body, _resources = _exporter().from_notebook_node(notebook)
    return body


@functools.cache
def _exporter():
    """One HTML exporter per process: loading its templates costs ~0.4 s; converting ~0.08."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(HTMLExporter):
        """nbconvert's HTML exporter without its last pass, which parses the whole page
        again with BeautifulSoup to give images without alt text a placeholder and
        notebook outputs a tabindex: our pages already carry both (every chart has its
        own text alternative, the template its own focus order), and on a team page of 500
        people that pass cost 1.1 s of 6 (measured)."""

        def from_notebook_node(self, nb, resources=None, **kw):
            language = nb.metadata.get("language_info", {})
            lexer = language.get("pygments_lexer", language.get("name", None))
            self.register_filter(
                "highlight_code",
                self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer,
                                                                  parent=self)),
            )  # fmt: skip
            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                      resources=resources),
            )  # fmt: skip
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return PageExporter(
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        template_name=TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
