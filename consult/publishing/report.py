"""A self-contained HTML report in the shape UK consultation analysis expects (charts work offline).

The page is `templates/report.html.j2`, rendered by Jinja2 with autoescaping, so member and officer text is text
everywhere; this module only gathers what the template shows, one section per function.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from types import SimpleNamespace

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import Engine

from consult import charts, regions, storage
from consult.opinion import groups as opinion
from consult.opinion.names import group_name
from consult.publishing import question_results, report_summary, selection_note, suppression, tables
from consult.publishing.group_steadiness import fitted_groups_sentence
from consult.storage import group_history, responses, visibility
from consult.storage import themes as theme_store
from consult.support import direct as support_direct
from consult.text.figures import chance_with_caveat

PRINT_WIDTH_PX = 680  # A4 less 15 mm margins each side, at 96 CSS pixels to the inch


@cache
def _template():
    environment = Environment(loader=PackageLoader("consult.publishing", "templates"),
                              autoescape=select_autoescape(["html", "j2"], default=True),
                              trim_blocks=False, lstrip_blocks=False)
    return environment.get_template("report.html.j2")


def _membership_table(engine: Engine, consultation_id: int) -> pd.DataFrame | None:
    """Population, membership and participation by region, when the party's roll is loaded."""
    table = tables.membership_table(engine, consultation_id)
    if table is None:
        return None
    return pd.DataFrame({
        "Region": table["name"], "Population share": (table["population_share"] * 100).round(1).astype(str) + "%",
        "Member share": (table["member_share"] * 100).round(1).astype(str) + "%",
        "Members per population share": table["members_per_population"].map(lambda v: f"{v:.2f}"),
        "Taking part per member share": table["participants_per_member"].map(
            lambda v: "–" if v != v else f"{v:.2f}")})


def _responses(engine: Engine, consultation_id: int, published: pd.DataFrame) -> SimpleNamespace:
    """Responses by region (were every region's proposals answered as often?) and what crossed a threshold for an
    answer: the answered ones listed, the rest counted. Only published responses count; author regions are
    already suppressed."""
    answered = published[published["response_status"] != ""]
    obliged = responses.responses_frame(engine, consultation_id)
    obliged = obliged[obliged["obliged_ms"].notna() & (obliged["proposal_status"] == "published")]
    crossed_answered = obliged[obliged["published_status"].notna()]
    counts = {"published": len(published), "answered": len(answered), "crossed": len(obliged),
              "crossed_answered": len(crossed_answered)}
    if answered.empty:
        return SimpleNamespace(counts=counts, by_region=None, crossed=None)
    by_region = published.assign(region=published["author_region"].replace("", "No region given")).groupby("region")
    rate = pd.DataFrame({"Proposals": by_region.size(),
                         "Answered": by_region["response_status"].apply(lambda v: int((v != "").sum()))})
    rate["Share answered"] = (rate["Answered"] / rate["Proposals"]).map(lambda v: f"{v:.0%}")
    statuses = pd.crosstab(answered["author_region"].replace("", "No region given"), answered["response_status"])
    rate = rate.join(statuses).fillna(0).reset_index().rename(columns={"region": "Author's region"})
    whole = [column for column in rate.columns if column not in ("Author's region", "Share answered")]
    rate[whole] = rate[whole].astype(int)  # counts of proposals: never "1.0"
    crossed = None if crossed_answered.empty else pd.DataFrame({
        "Proposal": crossed_answered["proposal"], "Why it needed an answer": crossed_answered["obliged_reason"],
        "Decision": crossed_answered["published_status"].map(responses.STATUS_LABELS),
        "Response": crossed_answered["published_body"].fillna("")})
    return SimpleNamespace(counts=counts, by_region=rate, crossed=crossed)


def _distinctive_table(themes: pd.DataFrame, assignments: pd.DataFrame, proposals: pd.DataFrame,
                       min_cell: int) -> pd.DataFrame:
    """Per region and theme, the ratio against the rest of the UK with its exact interval (themes.distinctive)."""
    from consult.themes.distinctive import distinctive_themes

    primary = assignments[assignments["rank"] == 1].set_index("proposal_id")["theme_id"]
    published = proposals[(proposals["status"] == "published") & proposals.index.isin(primary.index)]
    labels = dict(zip(themes["id"], themes["label"], strict=True))
    other = tuple(themes.loc[themes["is_other"], "id"])
    return distinctive_themes(primary.reindex(published.index).to_numpy(), published["region"].to_numpy(),
                              labels=labels, min_cell=min_cell, exclude_themes=other)


def _participation_tables(people: pd.DataFrame, representation: pd.DataFrame,
                          min_cell: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(regions, channels) with counts under `min_cell` shown as 'fewer than N'."""
    hidden = f"fewer than {min_cell}"
    by_channel = people["channel"].value_counts().rename_axis("Channel").reset_index(name="Participants")
    # the total is in the report's first lines: one blanked channel would come back by subtraction
    blank = suppression.suppressed_cells(by_channel["Participants"], min_cell).to_numpy()
    by_channel["Participants"] = [hidden if b else int(n) for n, b in zip(by_channel["Participants"], blank,
                                                                            strict=True)]
    by_channel["Channel"] = by_channel["Channel"].str.capitalize()
    region_rows = pd.DataFrame({
        "Region": representation["name"],
        "Participants": [hidden if s else int(n) for n, s in zip(representation["participants"],
                                                                 representation["suppressed"], strict=True)],
        "Share": [("–" if s else f"{v:.1%}") for v, s in zip(representation["sample_share"],
                                                              representation["suppressed"], strict=True)],
        "Baseline share": (representation["baseline_share"] * 100).round(1).astype(str) + "%",
        "Ratio": [(f"at most {m:.2f}" if s and pd.notna(m) else "–" if s or pd.isna(v) else f"{v:.2f}")
                  for v, s, m in zip(representation["ratio"], representation["suppressed"],
                                     representation["ratio_at_most"], strict=True)],
    })
    return region_rows, by_channel


def _themes(themes: pd.DataFrame, assignments: pd.DataFrame, proposals: pd.DataFrame,
            small: set[str]) -> list[SimpleNamespace]:
    """Each theme with up to four quotes near its centre, from different regions (a small region is not named)."""
    shown = []
    for theme in themes[~themes["is_other"]].itertuples():
        members = assignments[(assignments["theme_id"] == theme.id) & (assignments["rank"] == 1)]
        quotes, seen_regions = [], set()
        for pid in members.sort_values("score", ascending=False)["proposal_id"]:
            if pid not in proposals.index:
                continue
            region = proposals.loc[pid, "region"]
            if region not in seen_regions:
                where = "a region with few participants" if region in small else (
                    regions.region_name(region) if region else "unknown")
                quotes.append(SimpleNamespace(text=proposals.loc[pid, "body"], where=where))
                seen_regions.add(region)
            if len(quotes) == 4:
                break
        shown.append(SimpleNamespace(label=theme.label, size=theme.size, keywords=theme.keywords, quotes=quotes,
                                     checked=bool(getattr(theme, "checked", False))))
    return shown


def _fitted_groups(engine: Engine, consultation_id: int, votes: pd.DataFrame) -> opinion.OpinionGroups | None:
    """The opinion groups, fitted once for the report's section on them and its questions' cross-tabs, carried
    over from the groups the app last showed (so they keep its numbers); None when there are too few votes for two
    groups."""
    if not len(votes) or votes["participant_id"].nunique() < 15:
        return None
    model = group_history.current_groups(engine, consultation_id, votes)
    return model if model.k_ >= 2 else None


def _opinion_groups(model: opinion.OpinionGroups | None, proposals: pd.DataFrame) -> SimpleNamespace | None:
    """What each group stands for, and how settled the groups are; None without groups."""
    if model is None:
        return None
    rep = opinion.repness(model.matrix_, model.labels_)
    groups = []
    for group, size in model.group_sizes().items():
        statements = [SimpleNamespace(direction=r.direction, p=r.p, text=proposals.loc[r.proposal_id, "body"])
                      for r in rep[rep["group"] == group].itertuples() if r.proposal_id in proposals.index]
        groups.append(SimpleNamespace(name=group_name(group), size=size, statements=statements))
    return SimpleNamespace(k=model.k_, placed=int(model.labels_.notna().sum()), total=len(model.labels_),
                           groups=groups, steadiness=fitted_groups_sentence(model, people="participants"))


def _ranked_view(ranked: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Rank": ranked["consensus_rank"], "Proposal": ranked["text"], "Theme": ranked["theme"],
        "Votes": ranked["votes"],
        "Majority in every region": [chance_with_caveat(p, n) for p, n in
                                     zip(ranked["prob_all"], ranked["regions_with_own_votes"], strict=True)],
        "Raw share (95% CI)": [f"{s:.0%} ({lo:.0%}–{hi:.0%})" for s, lo, hi in
                             zip(ranked["support"], ranked["support_low"], ranked["support_high"], strict=True)],
        "Weighted estimate (95% CI)": [f"{s:.0%} ({lo:.0%}–{hi:.0%})" if s == s else "–" for s, lo, hi in
                              zip(ranked["weighted_support"], ranked["weighted_low"], ranked["weighted_high"],
                                  strict=True)],
        "Weakest region": [f"{name} (about {s:.0%})" if name else "–" for name, s in
                           zip(ranked["weakest_region"], ranked["weakest_support"], strict=True)],
    })


def _divisive_view(published: pd.DataFrame) -> pd.DataFrame | None:
    divisive = published.sort_values("divisiveness", ascending=False).head(5)
    if divisive.empty:
        return None
    return pd.DataFrame({
        "Proposal": divisive["text"], "Most support": divisive["strongest_region"],
        "Least support": divisive["weakest_region"],
        "Spread of regional estimates (points)": [f"{spread * 100:.0f}" if spread == spread else "–"
                                                  for spread in divisive["divisiveness"]]})


def build(engine: Engine, consultation_id: int, *, top: int = 15) -> str:
    """The whole report as one HTML document (plotly.js is embedded once, so it opens offline).

    Regional figures about fewer people than the consultation's minimum are suppressed, as in every export.
    """
    from consult.themes.distinctive import most_distinctive

    consultation = storage.get_consultation(engine, consultation_id)
    min_cell = consultation.min_cell
    people = storage.participants_frame(engine, consultation_id)
    representation, test = tables.participation_table(engine, consultation_id)
    table = tables.proposals_table(engine, consultation_id)
    published = table[table["status"] == "published"]
    ranked = published.sort_values("consensus_rank").head(top)
    figures = [charts.region_tile_map(representation), charts.participation_bars(representation)]
    if len(ranked):
        figures.append(charts.support_intervals(ranked, full_labels=True))
    for figure in figures:  # as wide as an A4 page's text: wider, and printing would shrink every page to fit
        figure.update_layout(width=PRINT_WIDTH_PX, autosize=False)
    plots = [Markup(f.to_html(full_html=False, include_plotlyjs="inline" if i == 0 else False,  # nosec B704 - plotly's own output
                              config={"staticPlot": False, "responsive": False})) for i, f in enumerate(figures)]
    region_rows, by_channel = _participation_tables(people, representation, min_cell)

    themes = theme_store.themes_frame(engine, consultation_id)
    assignments = theme_store.assignments_frame(engine, consultation_id)
    # only what members may see is quoted or listed: a proposal hidden after it was themed stays out
    proposals = storage.proposals_frame(engine, consultation_id, statuses=(visibility.PUBLIC_STATUS,)).set_index("id")
    distinctive = (_distinctive_table(themes, assignments, proposals, min_cell) if len(themes)
                   else pd.DataFrame(columns=["theme_id", "lower", "ratio"]))
    small = suppression.small_regions(people["region"].value_counts(), min_cell)
    # the baseline the figures were computed against: the membership once a roll is loaded (storage.baseline_for)
    baseline_name = storage.baseline_name_for(engine, consultation)
    counts = storage.counts(engine, consultation_id)
    votes = storage.votes_frame(engine, consultation_id, published_only=True)
    density = support_direct.votes_per_region_cell(votes[votes["proposal_id"].isin(published["proposal_id"])])
    answers = _responses(engine, consultation_id, published)
    quotes = report_summary.Quotes()
    real_themes = themes[~themes["is_other"]] if len(themes) else themes
    summary = report_summary.summary_html(
        participation=report_summary.participation_finding(representation, counts.participants, baseline_name),
        everywhere=report_summary.everywhere_finding(published, quotes=quotes),
        division=report_summary.division_finding(published, density, quotes=quotes),
        themes=report_summary.themes_finding(themes, distinctive),
        uncertain=report_summary.uncertain_finding(
            votes_per_region=density, themes_total=len(real_themes),
            themes_checked=int(real_themes["checked"].sum()) if len(real_themes) else 0, baseline=baseline_name),
        answered=report_summary.answered_finding(answers.counts))
    model = _fitted_groups(engine, consultation_id, votes)
    return _template().render(
        consultation=consultation, counts=counts, min_cell=min_cell, test=SimpleNamespace(**test),
        generated=datetime.now(tz=UTC).strftime("%d %B %Y %H:%M UTC"), baseline_name=baseline_name,
        summary=Markup(summary), plots=plots, region_rows=region_rows, by_channel=by_channel,  # nosec B704 - escapes what it quotes
        membership=_membership_table(engine, consultation_id),
        themes=_themes(themes, assignments, proposals, small),
        distinctive_sentences=list(most_distinctive(distinctive)["sentence"]) if len(distinctive) else [],
        ranked=_ranked_view(ranked), divisive=_divisive_view(published),
        groups=_opinion_groups(model, proposals),
        selection_sentences=selection_note.selection_findings(engine, consultation_id, min_cell=min_cell),
        likelihood_scale=report_summary.likelihood_scale(), responses=answers, quoted=[SimpleNamespace(id=pid, text=text) for pid, text in quotes.cut.items()],
        themes_checked=int(real_themes["checked"].sum()) if len(real_themes) else 0,
        questions=question_results.report_sections(
            engine, consultation_id, None if model is None else question_results.group_names(model.labels_)))
