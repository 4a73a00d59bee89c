"""`consult support`: participation by region against a baseline, and the proposals ranked by support in every
region (pooled regional estimates with intervals), from a consultation or from any file of votes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from consult import storage

if TYPE_CHECKING:
    import pandas as pd


def _named_baseline(args: argparse.Namespace, engine_for: Callable) -> tuple[pd.Series, str]:
    """--baseline for a votes file: 'population' (built in), a CSV of counts by region, or a baseline saved in the
    database (`membership` once a roll is loaded); named as it will be printed and written."""
    from pathlib import Path

    from consult import regions

    if args.baseline in (None, "population"):
        return regions.population_baseline().astype(float), "population"
    if Path(args.baseline).is_file():
        return regions.parse_baseline_csv(Path(args.baseline).read_bytes()), Path(args.baseline).name
    return storage.baseline(engine_for(args), args.baseline), args.baseline


def _support_source(args: argparse.Namespace, engine_for: Callable, resolve: Callable):
    """(votes, people, baseline, its name, minimum cell, proposal texts) from a votes file or a consultation."""
    from pathlib import Path

    if Path(args.source).is_file():
        from consult.intake import vote_files

        votes, report = vote_files.read_votes(args.source, participant_col=args.participant_col,
                                              proposal_col=args.proposal_col, region_col=args.region_col,
                                              vote_col=args.vote_col)
        print(f"{report['rows']} rows: {len(votes)} votes read, {report['unreadable_votes']} unreadable votes "
              f"skipped, {report['unknown_regions']} unknown regions counted as not said")
        base, name = _named_baseline(args, engine_for)
        return votes, votes.drop_duplicates("participant_id")[["region"]], base, name, args.min_votes, {}
    engine = engine_for(args)
    consultation = resolve(engine, args.source)
    name = args.baseline or storage.baseline_name_for(engine, consultation)
    return (storage.votes_frame(engine, consultation.id, published_only=True),
            storage.participants_frame(engine, consultation.id), storage.baseline(engine, name), name,
            max(args.min_votes, consultation.min_cell),  # never below the consultation's own minimum
            storage.proposals_frame(engine, consultation.id).set_index("id")["body"].to_dict())


def _print_participation(people, base, min_cell: int, baseline_label: str) -> None:
    from consult import regions
    from consult.publishing import suppression
    from consult.support import direct as support

    table, test = support.representativeness(people, base if base is not None else regions.population_baseline())
    table = suppression.participation_table(table, min_cell)
    outside = suppression.suppress_count(test["not_in_a_region"], min_cell)
    print(f"participation against the {baseline_label} baseline "
          f"(chi-square {test['chi2']:.1f}, p = {test['p_value']:.2g}; "
          f"{outside if outside is not None else f'fewer than {min_cell}'} not in a UK region)")
    for r in table.itertuples():
        if r.suppressed:
            print(f"  {r.name:<26} {'<' + str(min_cell):>6}  {'-':>6} vs {r.baseline_share:6.1%}")
        else:
            print(f"  {r.name:<26} {int(r.participants):>6}  {r.sample_share:6.1%} vs {r.baseline_share:6.1%}  "
                  f"x{r.ratio:4.2f}")


def run_support(args: argparse.Namespace, engine_for: Callable, resolve: Callable) -> int:
    from consult import regions
    from consult.cli.written import write_and_say
    from consult.publishing import files, suppression
    from consult.support import pooled as regional
    from consult.text.cleaning import shorten
    from consult.text.figures import OWN_VOTES, all_regions_firm

    votes, people, base, baseline_name, min_cell, texts = _support_source(args, engine_for, resolve)
    _print_participation(people, base, min_cell, baseline_name)
    if votes.empty:
        print("no votes yet")
        return 0
    summary, model = regional.proposal_summary(votes, base, min_cell=min_cell, random_state=args.seed)
    names = regions.region_names()
    print(f"\ntop {args.top} proposals supported in every region (pooled regional estimates; "
          "P(all) = probability of a majority in all 12 regions; weighted to the "
          f"{baseline_name} baseline)")
    top = summary.head(args.top)
    for pid, r in top.iterrows():
        mark = " " if all_regions_firm(r.regions_with_own_votes, len(regions.region_codes())) else "*"
        print(f"  P(all) {r.prob_all:4.0%}{mark} support {r.support:4.0%}  weighted {r.weighted_support:4.0%} "
              f"({r.weighted_low:.0%}-{r.weighted_high:.0%})  weakest {names.get(r.weakest_region, '-')} "
              f"{r.weakest_support:.0%}  {shorten(str(texts.get(pid, pid)), 60)}")
    if not all_regions_firm(top["regions_with_own_votes"], len(regions.region_codes())).all():
        print(f"  * rough: fewer than half the regions have {OWN_VOTES}+ votes on it (in simulations such figures "
              "came true more often than they said)")
    if args.out:
        out = summary.reset_index().rename(columns={
            "proposal_id": "proposal", "support_low": "lower", "support_high": "upper",
            "weighted_low": "weighted_lower", "weighted_high": "weighted_upper"})
        out["body"] = out["proposal"].map(texts).astype(object).fillna("")
        out["baseline"] = baseline_name  # which baseline "weighted" means, in the file itself
        write_and_say(out[list(files.SCHEMAS["support"])], args.out, "support", first=True)
    if args.regions_out:
        cells = model.regions_.rename(columns={"proposal_id": "proposal"})
        cells["region_name"] = cells["region"].map(names)
        # counts of people below the minimum stay suppressed, and a second cell where the national count in --out
        # would give the first away by subtraction; the estimate is not a count of people
        cells = suppression.suppress_breakdown(cells, "proposal", "n", ("agree",), min_cell)
        write_and_say(cells[list(files.SCHEMAS["support-regions"])], args.regions_out, "support-regions")
    return 0


def add_command(add: Callable[..., argparse.ArgumentParser], engine_for: Callable, resolve: Callable) -> None:
    sup = add("support", "participation by region, and proposals ranked by support in every region (pooled "
                         "regional estimates with intervals)", lambda args: run_support(args, engine_for, resolve))
    sup.add_argument("source", help="a consultation (id or join code), or a CSV/XLSX of votes")
    sup.add_argument("--baseline", help="what weighting targets: 'population', 'membership' (once a roll is "
                                        "loaded), another saved baseline, or a CSV of counts by region (default: "
                                        "the consultation's; population for a votes file)")
    sup.add_argument("--top", type=int, default=10)
    sup.add_argument("--min-votes", type=int, default=10,
                     help="regions with fewer votes are flagged as leaning on pooling (default 10)")
    sup.add_argument("--out", help="CSV/XLSX: one row per proposal (proposal, consensus_rank, support, lower, "
                                   "upper, weighted_support, weakest_region, ...)")
    sup.add_argument("--regions-out", help="CSV/XLSX: one row per proposal and region (proposal, region, n, agree, "
                                           "estimate, lower, upper)")
    sup.add_argument("--participant-col", default="participant", help="votes file: participant column")
    sup.add_argument("--proposal-col", default="proposal", help="votes file: proposal column")
    sup.add_argument("--region-col", default="region", help="votes file: region column (ITL1 code or name)")
    sup.add_argument("--vote-col", default="vote", help="votes file: vote column (1 agree, -1 disagree, 0 pass)")
    sup.add_argument("--seed", type=int, default=0, help="random_state for the posterior draws (default 0)")
