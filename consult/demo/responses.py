"""The demo's official responses: thresholds set, the queue filled, and a handful of answers published, so the
Responses page, "What happened", the presenter's results slide and the report all have something to show."""

from __future__ import annotations

from sqlalchemy import Engine

from consult.responses import workflow as answers
from consult.storage import responses

ACTOR = "consult demo"
# (status, response, referred_to, decided_by), given in turn to the proposals that crossed a threshold
ANSWERS = [
    ("accepted", "The policy commission will put this to conference as part of the devolution motion in the "
                 "spring. Thank you to every member who proposed and supported it.", "", "Policy commission"),
    ("accepted_in_part", "We will take forward the principle. How it is funded will be settled with the regional "
                         "parties before the manifesto is drafted.", "", "Policy commission"),
    ("referred", "This is a matter for the regional parties, who will answer it at their autumn meetings.",
     "Regional parties' joint committee", "Policy commission"),
    ("already_policy", "This is already party policy, agreed at conference in 2025; the proposal will be cited "
                       "in the manifesto section on regional assemblies.", "", "Policy officers"),
    ("not_taken_forward", "The commission discussed this carefully. It would need primary legislation the party "
                          "cannot commit to this term, so it is not taken forward for now.", "", "Policy commission"),
]


def install(engine: Engine, consultation_id: int) -> int:
    """Set the demo's thresholds, fill the queue and publish answers to the first few; returns how many."""
    responses.set_thresholds(engine, consultation_id,
                             responses.Thresholds(min_supporters=None, everywhere_probability=0.7,
                                                  region_share=None), actor=ACTOR)
    answers.refresh_queue(engine, consultation_id)
    waiting = responses.needs_answer(engine, consultation_id)["proposal_id"].tolist()
    answered = []
    for proposal_id, (status, body, referred_to, decided_by) in zip(waiting, ANSWERS, strict=False):
        responses.save_draft(engine, proposal_id, status=status, body=body, referred_to=referred_to,
                             decided_by=decided_by, actor=ACTOR)
        answered.append(proposal_id)
    if answered:
        responses.add_milestone(engine, answered[0], title="Motion drafted by the policy commission", percent=40,
                                actor=ACTOR)
        responses.publish(engine, answered, actor=ACTOR)
    return len(answered)
