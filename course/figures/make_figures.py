"""Draw the course's explanatory pictures and attach them to the notebooks' markdown cells.

The pictures that explain an idea rather than show a result (the machine-learning picture of 01,
the neuron of 02) are PNG attachments of the markdown cell that shows them: they travel inside
the notebook, to Colab and to GitHub, and need no code cell. Run this script after changing one:

    python course/figures/make_figures.py

It draws every figure with matplotlib and stores it in the cell that references it as
``![...](attachment:<name>.png)``.
"""
from __future__ import annotations

import base64
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch  # noqa: E402

COURSE = Path(__file__).resolve().parents[1]
INK, BLUE, ORANGE, GREEN, GREY = "#333333", "#4c8bd6", "#e8a33d", "#5aa469", "#bbbbbb"


def _box(ax, x, y, text, colour, width=2.2, height=0.8):
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.08",
                                facecolor=colour, edgecolor=INK, linewidth=1.2, alpha=0.9))
    ax.text(x, y, text, ha="center", va="center", fontsize=11, color=INK)


def _arrow(ax, start, end, text="", offset=0.22):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16, linewidth=1.4, color=INK))
    if text:
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + offset, text, ha="center", fontsize=9,
                color=INK, style="italic")


def rules_versus_learning():
    """Programming writes the rules; machine learning finds them in examples (task, experience, performance)."""
    fig, ax = plt.subplots(figsize=(9.5, 4.6))
    ax.set(xlim=(-0.6, 12.4), ylim=(-0.5, 6.2))
    ax.axis("off")
    ax.text(-0.5, 5.85, "Programming: a person writes the rules", fontsize=12, weight="bold", color=INK)
    _box(ax, 1.5, 5.0, "data\n(a photo)", GREY, width=2.8)
    _box(ax, 1.5, 3.95, "rules, by hand\nif hair < 15 cm: …", ORANGE, width=2.8)
    _box(ax, 5.9, 4.5, "program", "white")
    _box(ax, 10.2, 4.5, "answers\n\"man\" / \"woman\"", GREEN, width=2.6)
    _arrow(ax, (3.0, 5.0), (4.7, 4.6))
    _arrow(ax, (3.0, 3.95), (4.7, 4.4))
    _arrow(ax, (7.1, 4.5), (8.8, 4.5))
    ax.plot([-0.5, 12.3], [3.1, 3.1], color=GREY, linewidth=1, linestyle=":")
    ax.text(-0.5, 2.7, "Machine learning: the computer finds the rules in examples", fontsize=12, weight="bold",
            color=INK)
    _box(ax, 1.5, 1.85, "data\n100 000 photos", GREY, width=2.8)
    _box(ax, 1.5, 0.8, "answers\ntheir labels", GREEN, width=2.8)
    ax.text(1.5, 0.05, "experience E", ha="center", va="top", fontsize=10, style="italic", color=INK)
    _box(ax, 5.9, 1.35, "learning\nalgorithm", "white")
    _box(ax, 10.2, 1.35, "rules: a model\n(its weights)", ORANGE, width=2.6)
    _arrow(ax, (3.0, 1.85), (4.7, 1.45))
    _arrow(ax, (3.0, 0.8), (4.7, 1.25))
    _arrow(ax, (7.1, 1.35), (8.8, 1.35))
    ax.text(10.2, 0.55, "does task T (label a new photo);\nperformance P (the share it gets right)\n"
            "improves with more experience", ha="center", va="top", fontsize=9, style="italic", color=INK)
    return fig


def neuron():
    """An artificial neuron: weighted inputs, a sum with a bias, an activation function."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.set(xlim=(0, 10.5), ylim=(-0.2, 4.2), aspect="equal")
    ax.axis("off")
    centre = (4.6, 2.0)
    for y, name, weight, label_y in ((3.4, "$x_1$", "$w_1$", 3.15), (2.0, "$x_2$", "$w_2$", 2.12),
                                     (0.6, "$x_3$", "$w_3$", 0.62)):
        ax.add_patch(Circle((1.0, y), 0.38, facecolor=GREY, edgecolor=INK))
        ax.text(1.0, y, name, ha="center", va="center", fontsize=13)
        ax.add_patch(FancyArrowPatch((1.4, y), (centre[0] - 0.62, centre[1] + (y - 2.0) * 0.25),
                                     arrowstyle="-|>", mutation_scale=14, linewidth=1.3, color=INK))
        ax.text(2.5, label_y, weight, fontsize=12, color=BLUE)
    ax.add_patch(Circle(centre, 0.6, facecolor="white", edgecolor=INK, linewidth=1.4))
    ax.text(*centre, r"$\Sigma$", ha="center", va="center", fontsize=18)
    ax.text(centre[0], centre[1] + 0.8, "$+\\,b$", ha="center", fontsize=12, color=BLUE)
    _box(ax, 7.3, 2.0, "$f(z)$", ORANGE, width=1.3, height=0.9)
    ax.add_patch(FancyArrowPatch((centre[0] + 0.6, 2.0), (6.6, 2.0), arrowstyle="-|>", mutation_scale=14,
                                 linewidth=1.3, color=INK))
    ax.text(5.95, 2.15, "$z$", ha="center", fontsize=12)
    ax.text(7.3, 1.2, "activation", ha="center", fontsize=10, style="italic")
    ax.add_patch(FancyArrowPatch((8.0, 2.0), (9.4, 2.0), arrowstyle="-|>", mutation_scale=14, linewidth=1.3,
                                 color=INK))
    ax.text(9.75, 2.0, "$y$", ha="center", va="center", fontsize=14)
    ax.text(1.0, 3.95, "inputs", ha="center", fontsize=10, style="italic")
    ax.text(6.9, 0.15, "$y = f(w_1x_1 + w_2x_2 + w_3x_3 + b)$", ha="center", fontsize=12)
    return fig


FIGURES = {
    "01_tensors.ipynb": {"machine_learning.png": rules_versus_learning},
    "02_graphs.ipynb": {"neuron.png": neuron},
}


def png(draw) -> str:
    """The figure ``draw()`` makes, as base64 PNG (no timestamp in it, so unchanged figures stay unchanged)."""
    fig = draw()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def attach(notebook: Path, figures: dict) -> None:
    nb = nbformat.read(notebook, as_version=4)
    for name, draw in figures.items():
        cells = [c for c in nb.cells if c.cell_type == "markdown" and f"(attachment:{name})" in c.source]
        if len(cells) != 1:
            raise SystemExit(f"{notebook.name}: {len(cells)} markdown cells show attachment:{name}, expected 1")
        cells[0].attachments = {name: {"image/png": png(draw)}}
    nbformat.write(nb, notebook)


if __name__ == "__main__":
    for notebook, figures in FIGURES.items():
        attach(COURSE / notebook, figures)
        print(f"{notebook}: {', '.join(figures)}")
