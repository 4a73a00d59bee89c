"""The tables that leave the system: proposals with their analysis, pseudonymised votes, participation, themes.

Each builder returns a frame in its declared schema (`schemas.SCHEMAS`); `files` writes it, and nothing is
written without passing `schemas.publish`. Officer pages read `proposal_analysis`, which keeps region codes
for filtering; exports read `proposals_table`, where small regions are suppressed.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from consult import regions, storage
from consult.publishing import files, pseudonyms, question_results, suppression
from consult.publishing.schemas import SCHEMAS
from consult.storage import responses, roll, visibility
from consult.storage import themes as theme_store
from consult.support import direct as support
from consult.support import pooled as regional

ANALYSIS_COLUMNS = regional.SUMMARY_COLUMNS


def min_cell(engine: Engine, consultation_id: int) -> int:
    return storage.get_consultation(engine, consultation_id).min_cell


def people_by_region(engine: Engine, consultation_id: int) -> pd.Series:
    return storage.participants_frame(engine, consultation_id)["region"].value_counts()


def proposal_analysis(engine: Engine, consultation_id: int, *, verified_only: bool = False) -> pd.DataFrame:
    """Every proposal with its theme, author region (code and name), support (raw and weighted, with
    intervals) and cross-region consensus: for officer pages (`verified_only`: verified members' votes only)."""
    return analysis_and_model(engine, consultation_id, verified_only=verified_only)[0]


def analysis_and_model(engine: Engine, consultation_id: int, *, verified_only: bool = False,
                       previous: regional.RegionalSupport | None = None,
                       ) -> tuple[pd.DataFrame, regional.RegionalSupport]:
    """`proposal_analysis` and the regional model behind it; `previous`, the model it returned last time, makes a
    refresh work out again only proposals with new votes (`RegionalSupport.fit`)."""
    consultation = storage.get_consultation(engine, consultation_id)
    proposals = storage.proposals_frame(engine, consultation_id)
    votes = storage.votes_frame(engine, consultation_id, verified_only=verified_only)
    summary, model = regional.proposal_summary(votes[votes["proposal_id"].isin(
        proposals.loc[proposals["status"] == "published", "id"])], storage.baseline_for(engine, consultation),
        min_cell=consultation.min_cell, previous=previous)
    assignments = theme_store.assignments_frame(engine, consultation_id)
    themes = theme_store.themes_frame(engine, consultation_id, include_inactive=True).set_index("id")["label"]
    primary = assignments[assignments["rank"] == 1].set_index("proposal_id")
    out = pd.DataFrame({
        "proposal_id": proposals["id"], "text": proposals["body"], "status": proposals["status"],
        "tier": proposals["tier"], "author_region": proposals["region"].map(regions.region_names()).fillna(""),
        "author_region_code": proposals["region"].fillna("UNDISCLOSED"),
        "theme_id": proposals["id"].map(primary["theme_id"]).fillna(-1).astype(int),
        "theme": proposals["id"].map(primary["theme_id"]).map(themes).astype(object).fillna(""),
        "theme_score": proposals["id"].map(primary["score"]).round(3),
    })
    joined = out.join(summary[ANALYSIS_COLUMNS], on="proposal_id")
    for column in ("weakest_region", "strongest_region"):
        joined[column] = joined[column].map(regions.region_names()).fillna("")
    for column in ("agree", "disagree", "passes", "votes", "regions_with_enough", "regions_with_own_votes"):
        joined[column] = joined[column].fillna(0).astype(int)
    return joined.round(4), model


MODERATION_NOTICE = ("MODERATION EXPORT: includes pending, hidden and merged proposals that members cannot see. "
                     "For moderators only; do not publish.")


def proposals_table(engine: Engine, consultation_id: int, *, moderation: bool = False) -> pd.DataFrame:
    """The proposals export: published proposals only (what members may see), unless `moderation` asks for every
    status. Authors' regions with few participants are suppressed, so that joining it with any other export (the
    Polis author ids, say) cannot single out the five members from a small region."""
    analysis = proposal_analysis(engine, consultation_id)
    if not moderation:
        analysis = analysis[analysis["status"] == visibility.PUBLIC_STATUS].reset_index(drop=True)
    small = suppression.small_regions(people_by_region(engine, consultation_id), min_cell(engine, consultation_id))
    names = {regions.region_name(code) for code in small}
    table = suppression.suppress_region_column(analysis, "author_region", names)
    answered = responses.published_responses(engine, consultation_id).set_index("proposal_id")
    table["response_status"] = table["proposal_id"].map(answered["status_label"]).astype(object).fillna("")
    table["response"] = table["proposal_id"].map(answered["response"]).astype(object).fillna("")
    return table[list(SCHEMAS["proposals"])]


def responses_table(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Every proposal an officer may answer, with its draft and published response: the spreadsheet a policy
    meeting fills in and `consult responses import` reads back (columns proposal, status, response)."""
    proposals = storage.proposals_frame(engine, consultation_id, statuses=("published", "pending", "hidden"))
    drafts = responses.responses_frame(engine, consultation_id).set_index("proposal_id")
    ids = proposals["id"]
    labels = responses.STATUS_LABELS
    table = pd.DataFrame({
        "proposal": ids, "text": proposals["body"],
        "status": ids.map(drafts["status"]).map(labels).astype(object).fillna(""),
        "response": ids.map(drafts["body"]).astype(object).fillna(""),
        "referred_to": ids.map(drafts["referred_to"]).astype(object).fillna(""),
        "decided_by": ids.map(drafts["decided_by"]).astype(object).fillna(""),
        "published_status": ids.map(drafts["published_status"]).map(labels).astype(object).fillna(""),
        "published_response": ids.map(drafts["published_body"]).astype(object).fillna(""),
        "needs_answer_because": ids.map(drafts["obliged_reason"]).astype(object).fillna(""),
    })
    return table[list(SCHEMAS["responses"])]


def responses_file(engine: Engine, consultation_id: int, path) -> object:
    """The responses working file to a .csv or .xlsx."""
    return files.write(responses_table(engine, consultation_id), path, "responses", sheet="Responses")


def votes_table(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Current votes on published proposals with keyed pseudonyms and the voter's region; regions with few voters
    are suppressed, as a pseudonym plus a rare region can point to a person."""
    votes = storage.votes_frame(engine, consultation_id, published_only=True)
    small = suppression.small_regions(votes.drop_duplicates("participant_id")["region"].value_counts(),
                                      min_cell(engine, consultation_id))
    table = pd.DataFrame({
        "participant": votes["participant_id"].map(pseudonyms.pseudonyms(consultation_id, votes["participant_id"])),
        "region": votes["region"], "proposal_id": votes["proposal_id"],
        "vote": votes["value"].map(storage.VOTE_VALUES),
    })
    table = suppression.suppress_region_column(table, "region", small)
    table["region"] = table["region"].map(lambda code: regions.region_names().get(code, code))
    return table


def participation_table(engine: Engine, consultation_id: int) -> tuple[pd.DataFrame, dict]:
    """Participation by region against the baseline, small cells suppressed; and the test of fit."""
    consultation = storage.get_consultation(engine, consultation_id)
    table, test = support.representativeness(storage.participants_frame(engine, consultation_id),
                                             storage.baseline_for(engine, consultation))
    published = suppression.participation_table(table, consultation.min_cell)
    test = dict(test, not_in_a_region=suppression.suppress_count(test["not_in_a_region"], consultation.min_cell))
    return published, test


def membership_table(engine: Engine, consultation_id: int) -> pd.DataFrame | None:
    """Population, membership and participation by region, side by side (None without a roll): is the membership
    itself London-dominated (members / population), and are we hearing every region (participants / members)?
    Counts of fewer than the consultation's minimum are blanked, members and participants alike."""
    members = roll.members_by_region(engine).reindex(regions.region_codes(), fill_value=0)
    if members.sum() == 0:
        return None
    min_size = min_cell(engine, consultation_id)
    people = people_by_region(engine, consultation_id).reindex(regions.region_codes(), fill_value=0)
    # the same cells as the participation table hides (small ones, and one more where a total would give them away)
    participation, _ = participation_table(engine, consultation_id)
    hidden = participation.set_index("region")["suppressed"].reindex(regions.region_codes(), fill_value=True)
    shown = (~hidden.astype(bool)).to_numpy()
    population = regions.population_baseline()
    shares = pd.DataFrame({"population": population / population.sum(), "members": members / members.sum(),
                           "participants": people / max(people.sum(), 1)})
    table = pd.DataFrame({
        "region": regions.region_codes(), "name": [regions.region_name(c) for c in regions.region_codes()],
        "population_share": shares["population"].to_numpy(),
        "members": members.where(members >= min_size).to_numpy(),
        "member_share": shares["members"].to_numpy(),
        "members_per_population": (shares["members"] / shares["population"]).to_numpy(),
        "participants": people.where(shown).to_numpy(),
        "participant_share": shares["participants"].where(shown).to_numpy(),
        "participants_per_member": (shares["participants"] / shares["members"]).where(
            shown & (members > 0).to_numpy()).to_numpy(),
    })
    return table[list(SCHEMAS["membership"])].round(4)


def themes_table(engine: Engine, consultation_id: int) -> pd.DataFrame:
    return theme_store.themes_frame(engine, consultation_id)[["id", "label", "keywords", "size"]]


def proposals_csv(engine: Engine, consultation_id: int) -> bytes:
    return files.csv_bytes(proposals_table(engine, consultation_id), "proposals")


def moderation_csv(engine: Engine, consultation_id: int) -> bytes:
    """Every proposal whatever its status, for moderators: the notice is the file's first line, so nobody mistakes
    it for the public export."""
    bom = b"\xef\xbb\xbf"
    body = files.csv_bytes(proposals_table(engine, consultation_id, moderation=True), "proposals")
    notice = files.csv_bytes(pd.DataFrame({"notice": [MODERATION_NOTICE]}), {"notice": "text"})
    notice_line = notice.removeprefix(bom).split(b"\n", 1)[1]  # the cell without its header
    return bom + notice_line + body.removeprefix(bom)


def votes_csv(engine: Engine, consultation_id: int) -> bytes:
    return files.csv_bytes(votes_table(engine, consultation_id), "votes")


def workbook(engine: Engine, consultation_id: int) -> bytes:
    """The officer's workbook: proposals, votes, participation by region, themes, and the structured questions'
    results by region and answers (long format)."""
    participation, _ = participation_table(engine, consultation_id)
    return files.xlsx_bytes({
        "Proposals": (proposals_table(engine, consultation_id), "proposals"),
        "Votes": (votes_table(engine, consultation_id), "votes"),
        "Participation by region": (participation.drop(columns=["expected"]), "participation"),
        "Themes": (themes_table(engine, consultation_id), "themes"),
        "Questions by region": (question_results.results_table(engine, consultation_id), "question-results"),
        "Answers": (question_results.answers_table(engine, consultation_id), "question-answers"),
    })
