"""Run reports: an HTML page with PNG plots (pass rate and mean score by category, score distribution)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any


def write_report(path: Path, summary: dict[str, Any], scores: list[float]) -> list[Path]:
    """Write ``path`` (HTML) and its PNG plots beside it; returns the files written."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers; set before pyplot loads
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    stem = path.with_suffix("")
    cats = list(summary["by_category"])
    by_cat = summary["by_category"]

    fig, ax = plt.subplots(figsize=(max(5, 1.1 * len(cats)), 3.6), dpi=100)
    x = range(len(cats))
    ax.bar([i - 0.2 for i in x], [by_cat[c]["pass_at_1"] for c in cats], width=0.4, label="pass@1")
    ax.bar([i + 0.2 for i in x], [by_cat[c]["mean_score"] for c in cats], width=0.4, label="mean score")
    ax.set_xticks(list(x), cats, rotation=30, ha="right")
    ax.set_ylim(0, 1.25)  # headroom for the legend above full bars
    ax.set_title("By category")
    ax.legend(loc="upper right", ncol=2)
    fig.tight_layout()
    by_category_png = stem.parent / f"{stem.name}-by-category.png"
    fig.savefig(by_category_png)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 3.2), dpi=100)
    ax.hist(scores, bins=[i / 10 for i in range(11)], edgecolor="black")
    ax.set_xlabel("score")
    ax.set_ylabel("episodes")
    ax.set_title("Score distribution")
    fig.tight_layout()
    scores_png = stem.parent / f"{stem.name}-scores.png"
    fig.savefig(scores_png)
    plt.close(fig)

    k = summary.get("k", 1)
    rows = "".join(
        f"<tr><td>{html.escape(c)}</td><td>{s['tasks']}</td><td>{s['episodes']}</td><td>{s['pass_at_1']:.3f}</td>"
        f"<td>{s.get(f'pass_hat_{k}', 0):.3f}</td><td>{s['mean_score']:.3f}</td></tr>"
        for c, s in by_cat.items()
    )
    mismatches = "".join(
        f"<li>{html.escape(m['task'])} episode {m['episode']}: {html.escape(', '.join(m['differs']))}</li>"
        for m in summary.get("mismatches", [])
    ) or "<li>none: every replayed verdict equals the recorded one</li>"
    path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>clawgym report</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:.2em .8em}"
        "table{border-collapse:collapse}tr:nth-child(even){background:#f3f3f3}</style></head><body>"
        f"<h1>clawgym report</h1><p>{summary['episodes']} episodes over {summary['tasks']} tasks: "
        f"pass@1 {summary['pass_at_1']:.3f}, pass^{k} {summary.get(f'pass_hat_{k}', 0):.3f}, "
        f"mean score {summary['mean_score']:.3f}.</p>"
        "<h2>By category</h2><table><tr><th>category</th><th>tasks</th><th>episodes</th><th>pass@1</th>"
        f"<th>pass^{k}</th><th>mean score</th></tr>{rows}</table>"
        f"<p><img src='{by_category_png.name}' alt='pass rate and mean score by category'></p>"
        f"<p><img src='{scores_png.name}' alt='score distribution'></p>"
        f"<h2>Replay</h2><ul>{mismatches}</ul></body></html>\n",
        encoding="utf-8",
    )
    return [path, by_category_png, scores_png]
