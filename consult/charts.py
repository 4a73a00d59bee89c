"""Plotly figures built from DataFrames; pages only place them. Colours are colour-blind safe."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from consult import regions

# diverging blue (under-represented) to orange (over-represented), safe for common colour blindness
REPRESENTATION_SCALE = [[0.0, "#2166ac"], [0.5, "#f7f7f7"], [1.0, "#b35806"]]


def region_tile_map(table: pd.DataFrame, *, title: str = "Participation against the baseline",
                    font_size: int = 14) -> go.Figure:
    """A UK tile map: one square per region, coloured by participants' share over the baseline share.

    `table` is `support.representativeness(...)[0]` (region, participants, sample_share, baseline_share, ratio).
    The colour scale is logarithmic around 1 (fair): half and double sit at the ends.
    """
    tiles = regions.regions().merge(table[["region", "participants", "sample_share", "baseline_share", "ratio"]],
                                    left_on="code", right_on="region", how="left")
    ratio = tiles["ratio"].fillna(0).clip(lower=0.01)
    import numpy as np

    position = (np.log2(ratio).clip(-1, 1) + 1) / 2
    labels = [f"<b>{short}</b><br>{int(n or 0)}<br>×{r:.1f}" for short, n, r in
              zip(tiles["short"], tiles["participants"].fillna(0), tiles["ratio"].fillna(0), strict=True)]
    hover = [f"{name}: {int(n or 0)} participants, {s:.1%} of those taking part vs {b:.1%} of the baseline"
             for name, n, s, b in zip(tiles["name"], tiles["participants"].fillna(0), tiles["sample_share"].fillna(0),
                                      tiles["baseline_share"].fillna(0), strict=True)]
    figure = go.Figure(go.Scatter(
        x=tiles["grid_x"], y=-tiles["grid_y"], mode="markers+text", text=labels, hovertext=hover,
        hoverinfo="text", textfont={"size": font_size, "color": "#111111"},
        marker={"symbol": "square", "size": 84, "color": position, "cmin": 0, "cmax": 1,
                "colorscale": REPRESENTATION_SCALE, "line": {"color": "#444444", "width": 1},
                "colorbar": {"title": "taking part<br>vs baseline", "tickvals": [0, 0.25, 0.5, 0.75, 1],
                             "ticktext": ["½ or less", "", "fair", "", "2× or more"]}},
        customdata=tiles["code"],
    ))
    figure.update_layout(
        title=title, height=520, margin={"l": 10, "r": 10, "t": 50, "b": 10}, showlegend=False,
        xaxis={"visible": False, "range": [-0.6, 4.6]}, yaxis={"visible": False, "range": [-4.6, 0.6]},
        plot_bgcolor="white", paper_bgcolor="white",
    )
    return figure


def participation_bars(table: pd.DataFrame) -> go.Figure:
    """Participants' share and the baseline share by region, with 95% intervals on the sample share."""
    frame = table.sort_values("baseline_share")
    figure = go.Figure()
    figure.add_bar(y=frame["name"], x=frame["baseline_share"] * 100, orientation="h", name="Baseline",
                   marker_color="#bbbbbb")
    figure.add_bar(y=frame["name"], x=frame["sample_share"] * 100, orientation="h", name="Taking part",
                   marker_color="#b35806", error_x={"type": "data", "symmetric": False,
                                                    "array": (frame["share_high"] - frame["sample_share"]) * 100,
                                                    "arrayminus": (frame["sample_share"] - frame["share_low"]) * 100})
    figure.update_layout(barmode="group", height=480, xaxis_title="Share of people (%)", yaxis_title="Region",
                         legend={"orientation": "h"}, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return figure
