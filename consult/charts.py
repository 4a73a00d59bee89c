"""Plotly figures built from DataFrames; pages only place them. Colours are colour-blind safe."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from consult import regions
from consult.opinion.names import group_name
from consult.text.cleaning import shorten

# diverging blue (under-represented) to orange (over-represented), safe for common colour blindness
REPRESENTATION_SCALE = [[0.0, "#2166ac"], [0.5, "#f7f7f7"], [1.0, "#b35806"]]


#: a horizontal legend above the plot: below it, it would sit on the x-axis title
LEGEND_ABOVE = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0}


def region_tile_map(table: pd.DataFrame, *, title: str = "Participation against the baseline",
                    font_size: int = 14, height: int = 520, tile_size: int = 84,
                    against: str = "baseline") -> go.Figure:
    """A UK tile map: one square per region, coloured by participants' share over the baseline share.

    `table` is `support.representativeness(...)[0]` (region, participants, sample_share, baseline_share, ratio).
    The colour scale is logarithmic around 1 (fair): half and double sit at the ends.
    """
    columns = ["region", "participants", "sample_share", "baseline_share", "ratio"]
    tiles = regions.regions().merge(table[columns + (["suppressed"] if "suppressed" in table else [])],
                                    left_on="code", right_on="region", how="left")
    hidden = tiles["suppressed"].fillna(False).astype(bool) if "suppressed" in tiles else pd.Series(False, tiles.index)
    min_cell = table.attrs.get("min_cell", 10)

    # no ratio yet (too few expected there, support.MIN_EXPECTED): the count on a grey tile, not a colour
    too_early = tiles["ratio"].isna() & ~hidden
    position = (np.log2(tiles["ratio"].fillna(1).clip(lower=0.01)).clip(-1, 1) + 1) / 2
    labels = [f"<b>{short}</b><br>under {min_cell}" if h else
              f"<b>{short}</b><br>{int(n or 0)}<br>too early" if early else
              f"<b>{short}</b><br>{int(n or 0)}<br>×{r:.1f}"
              for short, n, r, h, early in zip(tiles["short"], tiles["participants"].fillna(0),
                                               tiles["ratio"].fillna(0), hidden, too_early, strict=True)]
    hover = [f"{name}: fewer than {min_cell} taking part, so no figure is shown" if h else
             f"{name}: {int(n or 0)} taking part; too few yet to compare with the {against}" if early else
             f"{name}: {int(n or 0)} participants, {s:.1%} of those taking part vs {b:.1%} of the {against}"
             for name, n, s, b, h, early in zip(tiles["name"], tiles["participants"].fillna(0),
                                                tiles["sample_share"].fillna(0), tiles["baseline_share"].fillna(0),
                                                hidden, too_early, strict=True)]
    hidden = hidden | too_early
    shown = ~hidden.to_numpy()
    figure = go.Figure(go.Scatter(
        x=tiles["grid_x"][shown], y=-tiles["grid_y"][shown], mode="markers+text",
        text=[label for label, keep in zip(labels, shown, strict=True) if keep],
        hovertext=[text for text, keep in zip(hover, shown, strict=True) if keep],
        hoverinfo="text", textfont={"size": font_size, "color": "#111111"},
        marker={"symbol": "square", "size": tile_size, "color": position[shown], "cmin": 0, "cmax": 1,
                "colorscale": REPRESENTATION_SCALE, "line": {"color": "#444444", "width": 1},
                "colorbar": {"title": f"taking part<br>vs {against}", "tickvals": [0, 0.25, 0.5, 0.75, 1],
                             "ticktext": ["½ or less", "", "fair", "", "2× or more"]}},
        customdata=tiles["code"][shown],
    ))
    if hidden.any():  # small regions (small-cell suppression) and regions with no ratio yet: grey
        figure.add_scatter(
            x=tiles["grid_x"][~shown], y=-tiles["grid_y"][~shown], mode="markers+text",
            text=[label for label, keep in zip(labels, shown, strict=True) if not keep],
            hovertext=[text for text, keep in zip(hover, shown, strict=True) if not keep], hoverinfo="text",
            textfont={"size": font_size, "color": "#111111"}, customdata=tiles["code"][~shown],
            marker={"symbol": "square", "size": tile_size, "color": "#dddddd",
                    "line": {"color": "#444444", "width": 1}})
    figure.update_layout(
        title=title, height=height, margin={"l": 10, "r": 10, "t": 50 if title else 5, "b": 5}, showlegend=False,
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
                         legend=LEGEND_ABOVE, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return figure


GROUP_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9"]  # Okabe-Ito


def membership_bars(table: pd.DataFrame) -> go.Figure:
    """Population, membership and participation shares by region (publishing.tables.membership_table); a region
    whose participants are too few to show has no participation bar."""
    frame = table.sort_values("population_share")
    figure = go.Figure()
    for column, name, colour in (("population_share", "Population", "#bbbbbb"),
                                 ("member_share", "Party members", "#0072b2"),
                                 ("participant_share", "Taking part", "#b35806")):
        figure.add_bar(y=frame["name"], x=frame[column] * 100, orientation="h", name=name, marker_color=colour)
    figure.update_layout(barmode="group", height=560, xaxis_title="Share (%)", yaxis_title="Region",
                         legend=LEGEND_ABOVE, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return figure


def support_intervals(top: pd.DataFrame, *, full_labels: bool = False) -> go.Figure:
    """Raw share and weighted estimate (MRP) with 95% intervals, one row per proposal labelled by its text.

    Columns: proposal_id, support, support_low/high, weighted_support, weighted_low/high; `text` (optional)
    labels the rows ('<' escaped, since plotly reads tags in text): shortened at a word for a page, or whole and
    wrapped over lines with `full_labels` (the printed report, where nothing can be hovered).
    """
    if "text" in top and full_labels:
        labels = [_wrapped(f"#{pid}: {' '.join(str(text).split())}", 70)
                  for pid, text in zip(top["proposal_id"], top["text"], strict=True)]
    elif "text" in top:
        # two short lines, not one long one: on a phone a 60-character label took the whole width and was cut
        labels = [_wrapped(f"{shorten(str(text), 60)} (#{pid})", 34)
                  for pid, text in zip(top["proposal_id"], top["text"], strict=True)]
    else:
        labels = [f"#{pid}" for pid in top["proposal_id"]]
    lines = sum(label.count("<br>") + 1 for label in labels)
    figure = go.Figure()
    figure.add_scatter(x=top["support"] * 100, y=labels, mode="markers", name="Raw share of voters",
                       marker={"color": "#555555", "size": 9},
                       error_x={"type": "data", "symmetric": False,
                                "array": (top["support_high"] - top["support"]) * 100,
                                "arrayminus": (top["support"] - top["support_low"]) * 100})
    figure.add_scatter(x=top["weighted_support"] * 100, y=labels, mode="markers",
                       name="Weighted estimate (regional model)",
                       marker={"color": "#b35806", "size": 9, "symbol": "diamond"},
                       error_x={"type": "data", "symmetric": False,
                                "array": (top["weighted_high"] - top["weighted_support"]) * 100,
                                "arrayminus": (top["weighted_support"] - top["weighted_low"]) * 100})
    figure.update_layout(xaxis_title="Agreeing (%), 95% interval", yaxis_title=None,
                         height=120 + 30 * len(top) + 14 * max(lines - len(top), 0),
                         margin={"l": 10, "r": 10, "t": 30, "b": 10}, xaxis={"range": [0, 100]},
                         yaxis={"autorange": "reversed", "type": "category"}, legend=LEGEND_ABOVE)
    return figure


def _plain(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _wrapped(text: str, width: int) -> str:
    """User text over lines of at most `width` characters, each line shown as text: wrapped before escaping, so a
    line never ends inside an escaped '&lt;' (a long word is cut at `width` characters)."""
    return "<br>".join(_plain(line) for line in textwrap.wrap(text, width))


#: characters per line of a theme's name beside a chart's rows (the theme-by-region grid, the distinctive chart)
GRID_LABEL_WIDTH = 20
#: the grid's blues, from a pale blue (not white: a small share must not look like an empty cell) to navy
GRID_COLOURS = [[0.0, "#e3eef9"], [0.5, "#6baed6"], [1.0, "#08306b"]]


def _in_two_lines(label: str) -> str:
    """A theme's name over lines of GRID_LABEL_WIDTH characters, widened until it takes two (a row holds two lines:
    a third ran into the next row's name), to at most twice that width; a longer name (an officer's may have 200
    characters) is shortened at a word, and the hover gives it whole."""
    label = shorten(label, 4 * GRID_LABEL_WIDTH)
    for width in range(GRID_LABEL_WIDTH, 2 * GRID_LABEL_WIDTH + 1):
        if len(textwrap.wrap(label, width)) <= 2:
            break
    return _wrapped(label, width)


def theme_region_grid(table: pd.DataFrame, labels: dict) -> go.Figure:
    """Themes (rows) by region (columns) as clickable squares coloured by the theme's share of the region.

    The colour is a heatmap, so a cell is as wide as the plot allows (fixed-size markers overlapped on a phone);
    the clicks land on a scatter of invisible points over it, one per cell, because Streamlit's selection events
    work for scatter points and not for heatmaps: each point carries [theme, region] in customdata and the hover.
    Suppressed cells are grey and say so.
    """
    frame = table.copy()
    frame["theme_label"] = frame["theme"].map(lambda t: labels.get(t, str(t)))
    # the axis shows a label over two short lines ("Combined authority / and councils"), so on a narrow screen the
    # squares keep their room; an officer's name for a theme is text, never markup
    frame["axis_label"] = frame["theme_label"].map(lambda label: _in_two_lines(str(label)) or " ")
    frame["short"] = frame["region"].map(lambda c: _short(c))
    # rows are keyed by theme id, not name: two themes an officer gave one name stay two rows
    frame["row"] = frame["theme"].map(lambda theme: f"theme {theme}")
    # regions in the usual order (England's north to south, then Wales, Scotland, Northern Ireland), then the rest
    present = set(frame["short"])
    columns = [short for short in _SHORT.values() if short in present]
    columns += [short for short in dict.fromkeys(frame["short"]) if short not in columns]
    rows = list(dict.fromkeys(frame["row"]))
    row_names = frame.drop_duplicates("row").set_index("row")["axis_label"].reindex(rows).tolist()
    share = frame.pivot_table(index="row", columns="short", values="share_of_region", aggfunc="first",
                              dropna=False).reindex(index=rows, columns=columns)
    hidden_cells = frame.pivot_table(index="row", columns="short", values="suppressed", aggfunc="first",
                                     dropna=False).reindex(index=rows, columns=columns)
    hidden_mask = hidden_cells.fillna(False).astype(bool).to_numpy()
    figure = go.Figure()
    figure.add_heatmap(
        x=columns, y=rows, z=np.where(hidden_mask, np.nan, share.to_numpy(dtype=float) * 100),
        # the colour scale lies above the grid, not beside it: on a phone its width went from the squares
        colorscale=GRID_COLOURS, xgap=2, ygap=2,
        colorbar={"title": {"text": "% of the region's proposals", "side": "top"}, "orientation": "h",
                  "x": 0.5, "xanchor": "center", "y": 1.0, "yanchor": "bottom", "thickness": 12, "len": 0.8},
        hoverinfo="skip", name="share of the region")
    figure.add_heatmap(
        x=columns, y=rows, z=np.where(hidden_mask, 1.0, np.nan), colorscale=[[0, "#dddddd"], [1, "#dddddd"]],
        showscale=False, xgap=2, ygap=2, hoverinfo="skip", name="fewer than 10 (hidden)")
    shown = frame[~frame["suppressed"]]
    hidden = frame[frame["suppressed"]]
    # unseen until clicked: then the cell gets a dark outline (the heatmap beneath cannot show a selection)
    invisible = {"symbol": "square-open", "size": 24, "color": "#111111", "opacity": 0, "line": {"width": 3}}
    outlined = {"selected": {"marker": {"opacity": 1}}, "unselected": {"marker": {"opacity": 0}}}
    figure.add_scatter(
        x=shown["short"], y=shown["row"], mode="markers", name="share of the region", marker=invisible,
        **outlined,
        customdata=shown[["theme", "region"]].to_numpy(), showlegend=False,
        hovertext=[f"{_plain(str(lab))} in {_name(r)}: {int(c)} proposals ({s:.0%})"
                   f"{' · ' + rep + '-represented' if rep else ''}"
                   for lab, r, c, s, rep in zip(shown["theme_label"], shown["region"], shown["count"],
                                                shown["share_of_region"], shown["representation"], strict=True)],
        hoverinfo="text")
    figure.add_scatter(
        x=hidden["short"], y=hidden["row"], mode="markers", name="fewer than 10 (hidden)", marker=invisible,
        **outlined,
        customdata=hidden[["theme", "region"]].to_numpy(), hoverinfo="text", showlegend=False,
        hovertext=["fewer than 10 proposals: not shown"] * len(hidden))
    # the legend's grey square (the heatmaps have no legend entries)
    figure.add_scatter(x=[None], y=[None], mode="markers", name="fewer than 10 (hidden)",
                       marker={"symbol": "square", "size": 14, "color": "#dddddd",
                               "line": {"width": 1, "color": "#999"}})
    figure.update_layout(height=190 + 34 * len(rows), xaxis_title="Author's region",
                         legend={"orientation": "h", "y": -0.15},
                         # every region named, even where a phone's width would have plotly skip some
                         xaxis={"type": "category", "categoryorder": "array", "categoryarray": columns,
                                "tickmode": "array", "tickvals": columns},
                         yaxis={"type": "category", "categoryorder": "array", "categoryarray": rows,
                                "tickmode": "array", "tickvals": rows, "ticktext": row_names},
                         margin={"l": 10, "r": 10, "t": 90, "b": 10}, plot_bgcolor="white")
    return figure


def distinctive_themes_chart(rows: pd.DataFrame, region_name: str) -> go.Figure:
    """One region's themes against the rest of the UK: the ratio with its exact 95% interval, on a log axis
    so 2x and 0.5x sit the same distance from 1; a line at 1 (no difference). Bounds of 0 or infinity (a theme
    with no text on one side) are drawn at the axis's ends, 1/20 and 20."""
    frame = rows.assign(ratio=rows["ratio"].clip(0.05, 20), lower=rows["lower"].clip(0.05, 20),
                        upper=rows["upper"].clip(0.05, 20)).sort_values("ratio")
    # blue as the sentences call it: clear once the choice of the top theme is allowed for (distinctive.clear_lower)
    bound = frame["clear_lower"] if "clear_lower" in frame else frame["lower"]
    clear = bound.round(1) > 1
    # rows keyed by theme (two themes an officer named alike stay two rows), each name over two short lines so
    # the plot keeps its width on a phone; names shown as text
    keys = ([f"theme {t}" for t in frame["theme_id"]] if "theme_id" in frame
            else [f"row {i}" for i in range(len(frame))])
    names = [_in_two_lines(str(t)) for t in frame["theme_label"]]
    figure = go.Figure()
    figure.add_scatter(
        x=frame["ratio"], y=keys, mode="markers",
        marker={"size": 11, "color": ["#0072b2" if c else "#999999" for c in clear]},
        error_x={"type": "data", "symmetric": False, "array": frame["upper"] - frame["ratio"],
                 "arrayminus": frame["ratio"] - frame["lower"], "color": "#555555"},
        hovertext=[f"{_plain(str(t))}: {r:.1f}x the rest of the UK (95% {lo:.1f}–{hi:.1f})"
                   for t, r, lo, hi in zip(frame["theme_label"], frame["ratio"], frame["lower"], frame["upper"],
                                           strict=True)],
        hoverinfo="text", showlegend=False)
    figure.add_vline(x=1, line={"color": "#333333", "dash": "dot"})
    # every tick says its number (plotly's own log ticks wrote 0.05, 0.2 and 0.5 as "5", "2" and "5"), in pairs
    # that mirror each other (1/4 and 4); the title over two lines, as one it ran off a phone's screen
    figure.update_layout(
        height=140 + 34 * len(frame),
        xaxis={"type": "log", "tickmode": "array", "tickvals": RATIO_TICKS, "ticktext": [f"{t:g}" for t in RATIO_TICKS],
               "title": f"{_plain(region_name)} against the rest of the UK<br>(ratio of shares, 95% interval;<br>"
                        "blue: clearly more often)"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": keys, "tickmode": "array",
               "tickvals": keys, "ticktext": names},
        margin={"l": 10, "r": 10, "t": 30, "b": 10}, plot_bgcolor="white")
    return figure


#: the ratio axis's ticks, from 1/20 to 20 (the ends where bounds of 0 and infinity are drawn)
RATIO_TICKS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 20]


def opinion_map(projection: pd.DataFrame) -> go.Figure:
    """Participants on the opinion map (PCA), coloured by opinion group; light voters in grey."""
    figure = go.Figure()
    unclustered = projection[projection["group"].isna()]
    figure.add_scatter(x=unclustered["x"], y=unclustered["y"], mode="markers", name="too few votes to group",
                       marker={"color": "#cccccc", "size": 5})
    for group in sorted(projection["group"].dropna().unique()):
        members = projection[projection["group"] == group]
        figure.add_scatter(x=members["x"], y=members["y"], mode="markers", name=group_name(group),
                           marker={"color": GROUP_COLOURS[int(group) % len(GROUP_COLOURS)], "size": 6})
    figure.update_layout(xaxis_title="First principal component of votes",
                         yaxis_title="Second principal component", height=460,
                         margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend=LEGEND_ABOVE)
    return figure


def participation_over_time(participants: pd.DataFrame, events: pd.DataFrame) -> go.Figure:
    """Cumulative participants and votes by day."""
    def daily(ms: pd.Series) -> pd.Series:
        days = pd.to_datetime(ms, unit="ms", utc=True).dt.floor("D")
        return days.value_counts().sort_index().cumsum()

    figure = go.Figure()
    if len(participants):
        joined = daily(participants["created_ms"])
        figure.add_scatter(x=joined.index, y=joined.values, name="Participants", mode="lines",
                           line={"color": "#0072b2"})
    if len(events):
        cast = daily(events["created_ms"])
        figure.add_scatter(x=cast.index, y=cast.values, name="Votes cast", mode="lines", yaxis="y2",
                           line={"color": "#e69f00"})
    # running totals never go below zero: without rangemode a single day's point drew a "-1.5k" tick
    figure.update_layout(xaxis_title="Day", yaxis_title="Participants (cumulative)",
                         yaxis={"rangemode": "tozero"},
                         yaxis2={"title": "Votes (cumulative)", "overlaying": "y", "side": "right", "rangemode": "tozero"},
                         height=340, margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend=LEGEND_ABOVE)
    return figure


def tier_bars(proposals: pd.DataFrame) -> go.Figure:
    names = {"uk": "Whole UK", "nation": "A nation", "region": "A region", "local": "Local"}
    counts = proposals["tier"].value_counts().reindex(list(names), fill_value=0)
    figure = go.Figure(go.Bar(x=[names[t] for t in counts.index], y=counts.values, marker_color="#0072b2"))
    figure.update_layout(xaxis_title="What the proposal is about", yaxis_title="Proposals", height=300,
                         margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return figure


def _short(code: str) -> str:
    return _SHORT.get(code, "n/s")


_SHORT = dict(zip(regions.regions()["code"], regions.regions()["short"], strict=True)) | {"OUTSIDE": "Abroad"}


def _name(code: str) -> str:
    return regions.region_name(code)


def answer_shares(overall: pd.DataFrame, *, title: str = "") -> go.Figure:
    """A question's answers: the share choosing each (bars, with the 95% interval) and the share weighted to the
    baseline (diamonds, with its interval). Columns: option, share, lower, upper, weighted, weighted_lower,
    weighted_upper (the `question-results` rows for All regions)."""
    labels = [_plain(shorten(str(option), 60)) for option in overall["option"]]
    figure = go.Figure()
    figure.add_bar(x=overall["share"] * 100, y=labels, orientation="h", name="Share of those answering",
                   marker={"color": "#2166ac"},
                   error_x={"type": "data", "symmetric": False, "color": "#111111",
                            "array": (overall["upper"] - overall["share"]) * 100,
                            "arrayminus": (overall["share"] - overall["lower"]) * 100})
    if overall["weighted"].notna().any():
        figure.add_scatter(x=overall["weighted"] * 100, y=labels, mode="markers",
                           name="Weighted to the baseline by region", marker={"color": "#b35806", "size": 10,
                                                                               "symbol": "diamond"},
                           error_x={"type": "data", "symmetric": False, "color": "#b35806",
                                    "array": (overall["weighted_upper"] - overall["weighted"]) * 100,
                                    "arrayminus": (overall["weighted"] - overall["weighted_lower"]) * 100})
    figure.update_layout(title=_plain(shorten(title, 90)) if title else None,
                         xaxis_title="Share (%), with 95% interval", yaxis_title=None, xaxis={"range": [0, 100]},
                         height=140 + 34 * len(overall), margin={"l": 10, "r": 10, "t": 60 if title else 30, "b": 10},
                         yaxis={"autorange": "reversed", "type": "category"}, legend=LEGEND_ABOVE)
    return figure


def room_votes(table: pd.DataFrame) -> go.Figure:
    """Agree / disagree / pass for the room's leading proposals, as stacked bars labelled by the proposal's text.
    Columns: text, agree, disagree, passes. Colour-blind safe: blue agree, orange disagree, grey pass."""
    labels = [_plain(shorten(str(text), 70)) for text in table["text"]]
    total = (table["agree"] + table["disagree"] + table["passes"]).clip(lower=1)
    figure = go.Figure()
    for column, name, colour in (("agree", "Agree", "#2166ac"), ("disagree", "Disagree", "#b35806"),
                                 ("passes", "Pass", "#8c8c8c")):
        share = table[column] / total * 100
        figure.add_bar(x=share, y=labels, orientation="h", name=name, marker={"color": colour},
                       text=[f"{s:.0f}%" if s >= 8 else "" for s in share], textposition="inside",
                       insidetextanchor="middle")
    figure.update_layout(barmode="stack", xaxis={"range": [0, 100], "title": "Share of votes (%)"}, yaxis_title=None,
                         yaxis={"autorange": "reversed", "type": "category"}, legend=LEGEND_ABOVE,
                         margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return figure
