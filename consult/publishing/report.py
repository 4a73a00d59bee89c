"""A self-contained HTML report in the shape UK consultation analysis expects (charts work offline)."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine

from consult import charts, regions, storage
from consult.opinion import groups as opinion
from consult.publishing import report_summary, suppression, tables
from consult.storage import responses, visibility
from consult.storage import themes as theme_store


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _not_in_a_region(count: int | None, min_cell: int) -> str:
    if count is None:
        return f"Fewer than {min_cell} participants gave no UK region."
    return f"{count} participants gave no UK region."


def _membership_section(engine: Engine, consultation_id: int) -> str:
    """Population, membership and participation by region, when the party's roll is loaded."""
    table = tables.membership_table(engine, consultation_id)
    if table is None:
        return ("<p>No membership list is loaded, so participation is compared with the population only; whether "
                "the membership itself leans to some regions cannot be shown.</p>")
    view = pd.DataFrame({
        "Region": table["name"], "Population share": (table["population_share"] * 100).round(1).astype(str) + "%",
        "Member share": (table["member_share"] * 100).round(1).astype(str) + "%",
        "Members per population share": table["members_per_population"].map(lambda v: f"{v:.2f}"),
        "Taking part per member share": table["participants_per_member"].map(
            lambda v: "–" if v != v else f"{v:.2f}")})
    return ("<h3>Population, membership and participation</h3><p>Is the membership itself concentrated in some "
            "regions (members per population share above 1), and are we hearing every region's members (taking "
            "part per member share near 1)? Weighted figures in this report target the membership.</p>"
            + _table(view))


def _responses_section(engine: Engine, consultation_id: int, published: pd.DataFrame) -> str:
    """Responses by region (were every region's proposals answered as often?) and the answer to every proposal
    that crossed a threshold. Only published responses count; author regions are already suppressed."""
    answered = published[published["response_status"] != ""]
    if answered.empty:
        return ("<p>The party has not published a response to any proposal yet, so there is nothing to report "
                "here.</p>")
    by_region = published.assign(region=published["author_region"].replace("", "No region given")).groupby("region")
    rate = pd.DataFrame({"Proposals": by_region.size(),
                         "Answered": by_region["response_status"].apply(lambda v: int((v != "").sum()))})
    rate["Share answered"] = (rate["Answered"] / rate["Proposals"]).map(lambda v: f"{v:.0%}")
    statuses = pd.crosstab(answered["author_region"].replace("", "No region given"), answered["response_status"])
    rate = rate.join(statuses).fillna(0).reset_index().rename(columns={"region": "Author's region"})
    obliged = responses.responses_frame(engine, consultation_id)
    obliged = obliged[obliged["obliged_ms"].notna() & (obliged["proposal_status"] == "published")]
    if obliged.empty:
        crossed = "<p>No proposal has crossed the consultation's thresholds for a required answer.</p>"
    else:
        crossed = _table(pd.DataFrame({
            "Proposal": obliged["proposal"], "Why it needed an answer": obliged["obliged_reason"],
            "Decision": obliged["published_status"].map(responses.STATUS_LABELS).fillna("No published answer yet"),
            "Response": obliged["published_body"].fillna("")}))
    return (f"<p>{len(answered)} of {len(published)} published proposals have a published response.</p>"
            f"<h3>Responses by the author's region</h3>{_table(rate)}"
            f"<h3>Proposals that crossed a threshold for an answer</h3>{crossed}")


def _distinctive_table(themes: pd.DataFrame, assignments: pd.DataFrame, proposals: pd.DataFrame,
                       min_cell: int) -> pd.DataFrame:
    """Per region and theme, the pooled ratio against the rest of the UK with its interval (theme_distinctive)."""
    from consult.themes.distinctive import distinctive_themes

    primary = assignments[assignments["rank"] == 1].set_index("proposal_id")["theme_id"]
    published = proposals[(proposals["status"] == "published") & proposals.index.isin(primary.index)]
    labels = dict(zip(themes["id"], themes["label"], strict=True))
    other = tuple(themes.loc[themes["is_other"], "id"])
    return distinctive_themes(primary.reindex(published.index).to_numpy(), published["region"].to_numpy(),
                              labels=labels, min_cell=min_cell, exclude_themes=other)


def _distinctive_section(table: pd.DataFrame, min_cell: int) -> str:
    """A line per region: its most distinctive theme with the pooled ratio and interval."""
    from consult.themes.distinctive import most_distinctive

    if table.empty:
        return (f"<h3>What is distinctive where</h3><p>No region has {min_cell} or more themed proposals yet, so "
                "regions cannot be compared.</p>")
    lines = "".join(f"<li>{_esc(sentence)}</li>" for sentence in most_distinctive(table)["sentence"])
    return ("<h3>What is distinctive where</h3><p>For each region, the theme whose share of the region's proposals "
            "most exceeds its share in the rest of the UK. Ratios are pooled towards the UK pattern where a region "
            f"has few proposals, so small regions get a cautious answer rather than none.</p><ul>{lines}</ul>")


def build(engine: Engine, consultation_id: int, *, top: int = 15) -> str:
    """The whole report as one HTML document (plotly.js is embedded once, so it opens offline).

    Regional figures about fewer people than the consultation's minimum are suppressed, as in every export.
    """
    consultation = storage.get_consultation(engine, consultation_id)
    min_cell = consultation.min_cell
    counts = storage.counts(engine, consultation_id)
    people = storage.participants_frame(engine, consultation_id)
    representation, test = tables.participation_table(engine, consultation_id)
    small = suppression.small_regions(people["region"].value_counts(), min_cell)
    table = tables.proposals_table(engine, consultation_id)
    published = table[table["status"] == "published"]
    ranked = published.sort_values("consensus_rank").head(top)
    figures = [charts.region_tile_map(representation), charts.participation_bars(representation)]
    if len(ranked):
        figures.append(charts.support_intervals(ranked))
    plots = [f.to_html(full_html=False, include_plotlyjs="inline" if i == 0 else False, config={"staticPlot": False})
             for i, f in enumerate(figures)]

    hidden = f"fewer than {min_cell}"
    by_channel = people["channel"].value_counts().rename_axis("channel").reset_index(name="participants")
    # the total is in the report's first lines: one blanked channel would come back by subtraction
    blank = suppression.suppressed_cells(by_channel["participants"], min_cell).to_numpy()
    by_channel["participants"] = [hidden if b else int(n) for n, b in zip(by_channel["participants"], blank,
                                                                            strict=True)]
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

    themes = theme_store.themes_frame(engine, consultation_id)
    assignments = theme_store.assignments_frame(engine, consultation_id)
    # only what members may see is quoted or listed: a proposal hidden after it was themed stays out
    proposals = storage.proposals_frame(engine, consultation_id, statuses=(visibility.PUBLIC_STATUS,)).set_index("id")
    distinctive = (_distinctive_table(themes, assignments, proposals, min_cell) if len(themes)
                   else pd.DataFrame(columns=["theme_id", "lower", "ratio"]))
    theme_sections = []
    for theme in themes[~themes["is_other"]].itertuples():
        members = assignments[(assignments["theme_id"] == theme.id) & (assignments["rank"] == 1)]
        members = members.sort_values("score", ascending=False)
        quotes, seen_regions = [], set()
        for pid in members["proposal_id"]:
            region = proposals.loc[pid, "region"] if pid in proposals.index else None
            if region not in seen_regions and pid in proposals.index:
                where = "a region with few participants" if region in small else (
                    regions.region_name(region) if region else "unknown")
                quotes.append((proposals.loc[pid, "body"], where))
                seen_regions.add(region)
            if len(quotes) == 4:
                break
        quote_html = "".join(f"<blockquote>{_esc(q)}<cite>{_esc(r)}</cite></blockquote>" for q, r in quotes)
        theme_sections.append(f"<h3>{_esc(theme.label)} <small>({theme.size} proposals)</small></h3>"
                              f"<p class='kw'>{_esc(theme.keywords)}</p>{quote_html}")
    if not theme_sections:
        theme_sections.append("<p>No theme analysis has been run for this consultation yet.</p>")
    else:
        theme_sections.append(_distinctive_section(distinctive, min_cell))

    votes = storage.votes_frame(engine, consultation_id, published_only=True)
    group_html = "<p>Not enough votes to find opinion groups.</p>"
    if len(votes) and votes["participant_id"].nunique() >= 15:
        model = opinion.OpinionGroups().fit(votes)
        if model.k_ >= 2:
            rep = opinion.repness(model.matrix_, model.labels_)
            parts = [f"<p>{model.k_} opinion groups among {int(model.labels_.notna().sum())} participants "
                     f"with enough votes (of {len(model.labels_)}).</p>"]
            for group, size in model.group_sizes().items():
                statements = rep[rep["group"] == group]
                items = "".join(f"<li>{_esc(r.direction)} ({r.p:.0%}): {_esc(proposals.loc[r.proposal_id, 'body'])}</li>"
                                for r in statements.itertuples() if r.proposal_id in proposals.index)
                parts.append(f"<h3>Group {int(group) + 1}: {size} participants</h3><ul>{items}</ul>")
            group_html = "".join(parts)

    ranked_view = pd.DataFrame({
        "Rank": ranked["consensus_rank"], "Proposal": ranked["text"], "Theme": ranked["theme"],
        "Votes": ranked["votes"],
        "Majority in every region": [f"{p:.0%} likely" for p in ranked["prob_all"]],
        "Support (95% CI)": [f"{s:.0%} ({lo:.0%}–{hi:.0%})" for s, lo, hi in
                             zip(ranked["support"], ranked["support_low"], ranked["support_high"], strict=True)],
        "Weighted (95% CI)": [f"{s:.0%} ({lo:.0%}–{hi:.0%})" if s == s else "–" for s, lo, hi in
                              zip(ranked["weighted_support"], ranked["weighted_low"], ranked["weighted_high"],
                                  strict=True)],
        "Weakest region": [f"{name} (about {s:.0%})" if name else "–" for name, s in
                           zip(ranked["weakest_region"], ranked["weakest_support"], strict=True)],
    })
    divisive = published.sort_values("divisiveness", ascending=False).head(5)
    divisive_view = pd.DataFrame({
        "Proposal": divisive["text"], "Most support": divisive["strongest_region"],
        "Least support": divisive["weakest_region"],
        "Spread of regional estimates (points)": (divisive["divisiveness"] * 100).round(1)})
    divisive_html = _table(divisive_view) if len(divisive) else "<p>No votes yet, so nothing to compare.</p>"
    responses_html = _responses_section(engine, consultation_id, published)
    membership_html = _membership_section(engine, consultation_id)
    generated = datetime.now(tz=UTC).strftime("%d %B %Y %H:%M UTC")
    # the baseline the figures were computed against: the membership once a roll is loaded (storage.baseline_for)
    baseline_name = storage.baseline_name_for(engine, consultation)
    summary = report_summary.summary_html(
        participation=report_summary.participation_finding(representation, counts.participants,
                                                           baseline_name),
        everywhere=report_summary.everywhere_finding(published), division=report_summary.division_finding(published),
        themes=report_summary.themes_finding(themes, distinctive))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{_esc(consultation.title)}: consultation report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .9rem; }}
th, td {{ border: 1px solid #ccc; padding: .35rem .5rem; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f0; }} blockquote {{ border-left: 4px solid #b35806; margin: .5rem 0; padding: .25rem .75rem; }}
cite {{ display: block; font-size: .8rem; color: #555; }} .kw {{ color: #555; font-size: .9rem; }}
.summary {{ border: 2px solid #5b2a86; padding: 0 1rem 1rem; margin: 1.5rem 0; break-after: page; }}
.findings > li {{ margin: .5rem 0; }} .scale {{ font-size: .85rem; color: #444; }}
@media print {{ body {{ max-width: none; margin: 0; }} h2, h3 {{ break-after: avoid; }} tr, blockquote {{ break-inside: avoid; }} }}
.caveat {{ background: #fff7e6; padding: .5rem 1rem; border-left: 4px solid #b35806; }}
</style></head><body>
<h1>{_esc(consultation.title)}</h1>
<p><strong>Question:</strong> {_esc(consultation.question)}</p>
<p>Report generated {generated}. {counts.participants:,} participants, {counts.proposals:,} proposals
({counts.published:,} published), {counts.votes:,} votes.</p>
{summary}

<h2>1. Method and participation</h2>
<p>Members joined by link, QR code or join code, gave their region, wrote proposals and voted agree, disagree or pass
on other members' proposals. Participation is compared with the <em>{_esc(baseline_name)}</em> baseline;
a chi-square test of fit gives p = {test['p_value']:.2g} (a small p means participation does not match the baseline).
{_not_in_a_region(test['not_in_a_region'], min_cell)}</p>
{plots[0]}{plots[1]}
{_table(region_rows)}
<h3>By channel</h3>{_table(by_channel)}
{membership_html}

<h2>2. Themes</h2>
<p>Themes were found automatically and checked by officers; quotes are chosen near each theme's centre and from
different regions.</p>
{''.join(theme_sections)}

<h2>3. Supported in every region</h2>
<p>Proposals ranked by how likely it is that a majority agrees in all 12 regions. Most proposals have only a few
votes from each region, so each region's figure is an estimate that borrows strength from the proposal's national
figure and the region's general lean across all proposals (a multilevel model); a region with many votes stands
on its own. "Support" is the share of voters who agree, with a 95% interval; "weighted" is the estimate for the
whole population, each region counted at its share (multilevel regression and post-stratification).</p>
{plots[2] if len(plots) > 2 else ''}
{_table(ranked_view)}
<h3>Most divisive between regions</h3>
<p>The spread of the pooled regional estimates: it is high only where the votes show that regions differ.</p>
{divisive_html}

<h2>4. Opinion groups</h2>
{group_html}

<h2>5. You said, we did</h2>
{responses_html}

<h2>6. Methods and caveats</h2>
<ul>
<li>Votes: agree = +1, disagree = -1, pass = 0; one current vote per member and proposal (changes are logged).</li>
<li>Regional estimates: a hierarchical logistic model (proposal level, region lean, and what is particular to
each proposal in each region), fitted by Laplace-EM; 95% intervals covered the truth 93–95% of the time in
simulations at real vote densities (benchmarks/bench_regional.py). Counts of fewer than {min_cell} people are not
shown; an estimate is not a count of people.</li>
<li>Weighted support: the regional estimates weighted by each region's share of the baseline, with the interval
from the model's posterior.</li>
<li>Polis's group-informed consensus with the regions as groups is in the exports as a second view.</li>
<li>Opinion groups: Polis's method (PCA of the vote matrix, k-means with k chosen by silhouette).</li>
<li>Themes: TF-IDF phrases, LSA and static word embeddings, k-means; labels from class-based TF-IDF.</li>
</ul>
<p class="caveat">Participants chose to take part; they are not a random sample of members. Weighting corrects for
region only. Small numbers in any breakdown should be read with care.</p>
</body></html>"""
