"""Explorers: one object, two views (DESIGN.md, item 7).

In Jupyter or Binder an explorer shows a live ipywidgets view: sliders redraw the figure. A
rendered book has no kernel, so the outputs the book is built from (saved by
``tools/refresh_outputs.py``, which sets ``GRADLAB_STATIC_FRAMES``) carry a ``text/html`` view
instead, made of frames precomputed for every combination of slider values; a few lines of
JavaScript swap them. Both views have a ``text/plain`` form that lists what every frame shows.
"""

import base64
import hashlib
import html
import io
import itertools
import json
import os

import ipywidgets
import matplotlib.pyplot as plt
from PIL import Image

from gradlab.plots import png_with_text_size, smallest_text_px


def _png(fig, colors=64):
    """The figure as PNG bytes at twice its size (sharp on high-density screens) with a small
    palette (a third of the size), then closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=2 * fig.dpi)
    text_px = smallest_text_px(fig, 2 * fig.dpi)
    plt.close(fig)
    image = Image.open(buffer).convert("RGB").quantize(colors=colors)
    out = io.BytesIO()
    image.save(out, format="png", optimize=True)
    return png_with_text_size(out.getvalue(), text_px)


def _show(value):
    """A control value as its slider shows it: 0.03, not 0.030000000000000002."""
    return f"{value:g}" if isinstance(value, float) else str(value)


class Explorer:
    """Sliders over a figure (used from chapter 1 on).

    draw(**values) -> matplotlib Figure, for one value of each control.
    controls: {name: list of values}, the positions of each slider; the first name varies slowest.
    describe(**values) -> str, one sentence saying what the frame shows (its alt text).
    start: {name: value} where the sliders begin (default: the middle of each list).
    The static view holds one frame per combination, so keep the product of the lengths small.
    """

    def __init__(self, draw, controls, describe, start=None):
        if not callable(draw) or not callable(describe):
            raise TypeError("draw and describe must be callables taking the controls as keywords")
        if not isinstance(controls, dict) or not controls:
            raise TypeError("controls must be a non-empty dict {name: list of values}")
        self.draw, self.describe = draw, describe
        self.controls = {name: list(values) for name, values in controls.items()}
        for name, values in self.controls.items():
            if not values:
                raise ValueError(f"control {name!r} has no values")
        start = start or {}
        unknown = set(start) - set(self.controls)
        if unknown:
            raise ValueError(f"start names unknown controls {sorted(unknown)}")
        self.start = {}
        for name, values in self.controls.items():
            value = start.get(name, values[len(values) // 2])
            if value not in values:
                raise ValueError(f"start value {value!r} is not among {name!r}'s values {values}")
            self.start[name] = value
        self._widget = None

    def frame(self, **values):
        """PNG bytes of the figure for one value of each control (at twice its display size)."""
        return _png(self.draw(**values))

    @staticmethod
    def _display_width(png):
        """The width, in CSS pixels, to show a frame at: half its pixels."""
        return Image.open(io.BytesIO(png)).size[0] // 2

    # --- live view -----------------------------------------------------------------------
    def widget(self):
        """The ipywidgets view: one slider per control above the figure."""
        if self._widget is None:
            png = self.frame(**self.start)
            image = ipywidgets.Image(value=png, format="png", width=self._display_width(png))
            text = ipywidgets.HTML(html.escape(self.describe(**self.start)))
            sliders = {
                name: ipywidgets.SelectionSlider(
                    options=[(_show(v), v) for v in values],
                    value=self.start[name],
                    description=name,
                    continuous_update=False,
                )
                for name, values in self.controls.items()
            }

            def redraw(_change=None):
                values = {name: slider.value for name, slider in sliders.items()}
                image.value = self.frame(**values)
                text.value = html.escape(self.describe(**values))

            for slider in sliders.values():
                slider.observe(redraw, names="value")
            self._widget = ipywidgets.VBox([*sliders.values(), image, text])
        return self._widget

    # --- static view ---------------------------------------------------------------------
    def static_html(self):
        """Self-contained HTML: range inputs and the precomputed frames, no kernel needed."""
        names = list(self.controls)
        combos = list(itertools.product(*self.controls.values()))
        frames, width = [], None
        for combo in combos:
            values = dict(zip(names, combo))
            png = self.frame(**values)
            width = width or self._display_width(png)
            frames.append([base64.b64encode(png).decode("ascii"), self.describe(**values)])
        # the id comes from what the frames mean, not from their pixels: it is the same on every
        # machine, while PNG bytes differ with the fonts and the rasteriser
        meaning = [self.controls, [alt for _, alt in frames]]
        uid = "gx-" + hashlib.sha1(json.dumps(meaning, default=str).encode()).hexdigest()[:12]
        start_index = combos.index(tuple(self.start[n] for n in names))
        labels = [[_show(v) for v in self.controls[n]] for n in names]
        rows = []
        for i, name in enumerate(names):
            pos = self.controls[name].index(self.start[name])
            rows.append(
                f'<label class="gx-control">{html.escape(name)} '
                f'<input type="range" min="0" max="{len(labels[i]) - 1}" step="1" value="{pos}" '
                f'aria-label="{html.escape(name)}"> <output>{labels[i][pos]}</output></label>'
            )
        png, alt = frames[start_index]
        script = (
            "(function(){"
            f"var root=document.getElementById('{uid}');"
            f"var frames={json.dumps(frames)};var labels={json.dumps(labels)};"
            "var inputs=root.querySelectorAll('input[type=range]');"
            "var outs=root.querySelectorAll('output');"
            "var img=root.querySelector('img');var cap=root.querySelector('.gx-caption');"
            "function show(){var k=0;for(var i=0;i<inputs.length;i++){"
            "k=k*labels[i].length+Number(inputs[i].value);"
            "outs[i].textContent=labels[i][inputs[i].value];}"
            "img.src='data:image/png;base64,'+frames[k][0];img.alt=frames[k][1];"
            "cap.textContent=frames[k][1];}"
            "inputs.forEach(function(el){el.addEventListener('input',show);});"
            "})();"
        )
        return (
            f'<div class="gradlab-explorer" id="{uid}">'
            + "".join(rows)
            + f'<img src="data:image/png;base64,{png}" width="{width}" alt="{html.escape(alt)}">'
            + f'<p class="gx-caption" aria-live="polite">{html.escape(alt)}</p>'
            + f"<script>{script}</script></div>"
        )

    def text(self):
        """Plain text: what every frame shows, one line each (what a test can compare)."""
        names = list(self.controls)
        lines = [
            f"Explorer over {' x '.join(names)}: "
            f"{len(list(itertools.product(*self.controls.values())))} frames"
        ]
        for combo in itertools.product(*self.controls.values()):
            lines.append("- " + self.describe(**dict(zip(names, combo))))
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs):
        # Two audiences, two views. The book is built from outputs saved by
        # tools/refresh_outputs.py, which sets GRADLAB_STATIC_FRAMES: they hold the static frames
        # and no live widget (a saved widget shows "model not found" when the notebook reopens).
        # In a learner's kernel the explorer is the live widget, and no frames are precomputed.
        if os.environ.get("GRADLAB_STATIC_FRAMES"):
            return {"text/html": self.static_html(), "text/plain": self.text()}
        bundle = self.widget()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = self.text()
        return bundle
