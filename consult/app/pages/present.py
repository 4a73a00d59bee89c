"""The presenter view for the shared screen: everything on one screen (1920x1080 down to 1280x720, 16:9, 16:10
and 4:3) with no scrolling, in type legible from the back of a hall; join QR code, the phase, live counts, the
regional picture, what is supported everywhere, the newest proposals, and in results the party's answers."""

import base64
import html

import streamlit as st

from consult import charts, storage
from consult.access import presenter as presenter_access
from consult.app import presenter_focus, resources
from consult.app.components import say
from consult.live import presenter_data as live_data
from consult.live import qr, room_screen
from consult.storage import ballots, room
from consult.text.cleaning import escape_markdown, shorten
from consult.text.figures import all_regions_chance, share_of_voters

engine = resources.engine()
code = st.query_params.get("code", "")
if not code:
    st.title("Presenter view")
    entered = st.text_input("Join code of the consultation to present", max_chars=14)
    if entered:
        st.query_params["code"] = storage.normalise_join_code(entered)
        st.rerun()
    st.stop()
try:
    consultation = storage.find_presentable(engine, code)  # never a draft
except storage.NotFound as exc:
    say("error", exc)
    st.stop()
if not presenter_access.may_present(consultation, st.query_params.get(presenter_access.KEY_PARAM)):
    # the same answer as an unknown code would be wrong (the code is real) but must show nothing of the consultation
    st.title("Presenter view")
    st.error("This consultation is for verified members only, so its presenter view opens only from the "
             "facilitator's presenter link (Run a session → Open the presenter view).", icon=":material/lock:")
    st.stop()

# Sizes follow the screen's height (vh), so the same page fits 1080 and 720 lines; body text is 2.3vh (about
# 25 px at 1080p). Elements a refresh re-draws are never dimmed (Streamlit fades "stale" elements while it
# runs, which looks like flicker on a projector). No member text goes into this block.
st.html("""<style>
  .block-container { padding: 1.2vh 2vw 0 2vw !important; max-width: 100% !important; }
  [data-testid="stHeader"] { display: none; }
  [data-testid="stMain"] p, [data-testid="stMain"] [data-testid="stText"] { font-size: 2.3vh; line-height: 1.3;
    color: #111; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 5.5vh !important;
    line-height: 1.05 !important; }
  [data-testid="stMetricLabel"] p { font-size: 2.4vh !important; }
  [data-testid="stHeading"] h1 { font-size: 3.8vh; padding: 0; line-height: 1.15; overflow: hidden;
    display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }
  [data-testid="stHeading"] h2, [data-testid="stHeading"] h3 { font-size: 3vh; padding: 0.6vh 0 0.3vh 0;
    line-height: 1.25; }
  .st-key-phase [data-testid="stText"], .st-key-phase [data-testid="stText"] * { font-size: 3.4vh !important;
    font-weight: 700; color: #fff !important; }
  .st-key-phase { background: #5b2a86; border-radius: 1vh; padding: 0.3vh 1.2vw; width: fit-content; }
  .st-key-room [data-testid="stVerticalBlockBorderWrapper"], .st-key-room [data-testid="stVerticalBlock"] {
    gap: 0.6vh; }
  /* a text element's lines are clamped on its inner span: Chromium lays the element itself out as a flow-root
     box whatever its display says, so a clamp there cut nothing (and a maximum height cut without an ellipsis) */
  .st-key-lists [data-testid="stText"] > span, .st-key-everywhere [data-testid="stText"] > span {
    overflow: hidden; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }
  [data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 2.1vh !important; }
  [data-testid="stHeading"] { margin-bottom: 0.5vh; }
  .st-key-ballot [data-testid="stText"] > span { -webkit-line-clamp: 6 !important; }
  [data-stale="true"], .stale-element { opacity: 1 !important; transition: none !important; }
  /* plotly sizes are in pixels: a larger map for tall screens, a smaller one for 720 lines */
  .st-key-map_large, .st-key-map_narrow { display: none; }
  @media (min-height: 1000px) and (min-aspect-ratio: 16/10) {
    .st-key-map_large { display: block; } .st-key-map_small { display: none; } }
  @media (max-width: 1100px) {
    .st-key-map_narrow { display: block; } .st-key-map_small, .st-key-map_large { display: none; }
    [data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 4.4vh !important; }
    .st-key-everywhere [data-testid="stText"] > span { -webkit-line-clamp: 1; }
    .st-key-everywhere [data-testid="stCaptionContainer"] p { font-size: 1.8vh !important; } }
  .qr img { width: min(100%, 34vh); display: block; margin: 0 auto; }
  .qr p { text-align: center; margin: 0.3vh 0; }
  .qr .code { font-size: 6vh; font-weight: 800; letter-spacing: 0.3vw; }
  /* the consultation's question: at most three lines (two on narrow screens), ending in an ellipsis */
  .st-key-question [data-testid="stText"] { font-size: 2.9vh !important; font-weight: 600; color: #222;
    line-height: 1.3 !important; }
  .st-key-question [data-testid="stText"] > span { overflow: hidden; display: -webkit-box; -webkit-line-clamp: 3;
    -webkit-box-orient: vertical; }
  @media (max-width: 1100px) { .st-key-question [data-testid="stText"] > span { -webkit-line-clamp: 2; } }
</style>""")
st.html(presenter_focus.FOCUS_STYLE)
join_link = qr.join_url(resources.public_base_url(), consultation.join_code)
PHASES = {"collecting": "Proposals open", "voting": "Voting open", "results": "Results", "closed": "Closed",
          "draft": "Not open yet"}

# an <img> with alt text (st.image has none); join codes are letters and digits, the address is escaped
JOIN_HTML = (f'<div class="qr"><img src="data:image/png;base64,{base64.b64encode(qr.qr_png(join_link)).decode()}" '
             f'alt="QR code: scan to join with the code {consultation.join_code}">'
             f'<p>Scan to take part, or go to</p><p>{html.escape(join_link.split("?")[0])}</p>'
             f'<p>and enter the code</p><p class="code">{consultation.join_code}</p></div>')


def regional_picture(current) -> None:
    baseline_name = storage.baseline_name_for(engine, current)
    against = "members" if baseline_name == storage.MEMBERSHIP else "population"
    table = resources.representation(current.id, baseline_name, current.min_cell)
    for size, (font, height, tile) in {"narrow": (12, 250, 40), "small": (15, 300, 54),
                                       "large": (21, 440, 78)}.items():
        with st.container(key=f"map_{size}"):
            st.plotly_chart(charts.region_tile_map(table, title="", font_size=font, height=height, tile_size=tile,
                                                   against=against),
                            width="stretch", config={"displayModeBar": False, "staticPlot": True},
                            key=f"tile_map_{size}")
    st.caption(f"People taking part in each region; ×1.0 means in line with its share of the {against} (×0.5 half, "
               f"×2 double). Grey: fewer than {current.min_cell} (not shown), or too early to compare.")


def room_results(current, claims: room_screen.RegionalClaims, n: int = 4) -> None:
    """The room's own leading proposals with their agree / disagree / pass bars (no claim about regions)."""
    top = room_screen.proposal_totals(engine, current.id, n=n)
    if top.empty:
        st.caption("Waiting for the first votes.")
    else:
        figure = charts.room_votes(top)
        figure.update_layout(height=110 + 62 * len(top), font={"size": 17})
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False, "staticPlot": True},
                        key="room_results_chart")
    if claims.why:
        st.caption(claims.why)


def supported_everywhere(current) -> None:
    st.header("Supported in every region", anchor=False)
    top = resources.top_consensus(current.id).head(2)
    published = resources.published(current.id)
    shown = 0
    for row in top.itertuples():
        if row.proposal_id in published.index:
            st.text(f"{shorten(published.loc[row.proposal_id, 'body'], 110)}")
            st.caption(f"{share_of_voters(row.support, row.votes)} agree · "
                       f"{all_regions_chance(row.prob_all, row.regions_with_own_votes, brief=True)}")
            shown += 1
    if not shown:
        st.caption("Waiting for the first votes.")


def meeting_ballot(ballot_id: int) -> None:
    """An all-member meeting's ballot: turnout live while it is open, the result only once it has closed."""
    ballot = ballots.get_ballot(engine, ballot_id)
    voted, eligible = ballots.turnout(engine, ballot.id)
    st.header(("Vote now: " if ballot.status == "open" else "Result: ") + escape_markdown(shorten(ballot.title, 90)),
              anchor=False)
    if ballot.status == "open":
        st.text("On your phone: the Ballots page (top of your page). One vote each, secret.")
        st.progress(voted / eligible if eligible else 0.0, text=f"{voted:,} of {eligible:,} eligible members have voted")
        st.caption("The result appears here when the facilitator closes the ballot.")
        return
    outcome = resources.closed_ballot_result(ballot.id)
    if outcome.motion is not None:
        cols = st.columns(3)
        cols[0].metric("For", f"{outcome.motion.votes_for:,}")
        cols[1].metric("Against", f"{outcome.motion.votes_against:,}")
        cols[2].metric("Abstain", f"{outcome.motion.abstentions:,}")
    st.text(shorten(outcome.headline, 400))
    st.caption(f"{voted:,} of {eligible:,} eligible members voted.")


def newest_and_answers(current) -> None:
    # the newest proposals first: one cheap query, so they show as soon as the page opens
    st.header("Just in", anchor=False)
    newest = live_data.newest_proposals(engine, current.id, 3)
    for row in newest.itertuples():
        st.text(shorten(row.body, 110))
    if newest.empty:
        st.caption("The first proposals will appear here.")
    answered = (resources.published_responses(current.id).head(2) if current.phase in ("results", "closed")
                else None)
    if answered is not None and len(answered):
        st.header("You said, we did", anchor=False)
        for row in answered.itertuples():
            st.text(shorten(row.proposal, 100))
            st.text(shorten(f"{row.status_label}: {row.response}" if row.response else row.status_label, 100))


@st.fragment(run_every="2s")
def live() -> None:
    # everything is drawn inside the fragment: elements a fragment writes into outside containers pile up
    current = storage.get_consultation(engine, consultation.id)
    focus_kind, focus_id = room.focus(engine, current.id)
    if focus_kind != "none":
        left, right = st.columns([1, 3.1], gap="large")
        with left:
            st.html(JOIN_HTML)
        with right, st.container(key="focus"):
            if focus_kind == "question":
                presenter_focus.poll(engine, current, focus_id)
            elif focus_kind == "proposal":
                st.title(escape_markdown(shorten(current.title, 70)), anchor=False)
                presenter_focus.proposal(engine, current, focus_id)
            else:
                presenter_focus.questions_to_the_panel(engine, current)
        return
    counts = storage.counts(engine, current.id)
    people = live_data.people_per_region(engine, current.id)
    claims = room_screen.regional_claims(people, current.min_cell)
    showing_results = current.results_visible or current.phase in ("results", "closed")
    left, middle, right = st.columns([1, 1.45, 1.65], gap="medium")
    with left:
        st.html(JOIN_HTML)
    with right, st.container(key="room"):
        st.title(escape_markdown(shorten(current.title, 70)), anchor=False)
        with st.container(key="question"):
            st.text(shorten(current.question, 220))
        with st.container(key="phase"):
            st.text(PHASES[current.phase])
        cols = st.columns(3)
        cols[0].metric("Taking part", f"{counts.participants:,}")
        cols[1].metric("Proposals", f"{counts.published:,}")
        cols[2].metric("Votes", f"{counts.votes:,}")
        lists = st.container(key="lists")
    with lists:
        ballots.run_schedule(engine, current.id)
        on_screen = ballots.meeting_ballot(engine, current.id)
        if on_screen is not None:
            with st.container(key="ballot"):
                meeting_ballot(on_screen)
        else:
            newest_and_answers(current)
    with middle:
        if current.phase in ("results", "closed") and showing_results:
            st.header("Results: agree, disagree, pass", anchor=False)
            room_results(current, room_screen.RegionalClaims(True, True, ""), n=5)
        elif claims.map_shown:
            st.header("Who is taking part", anchor=False)
            regional_picture(current)
        else:
            st.header("Most agreed in this room", anchor=False)
            if showing_results:
                room_results(current, claims)
            else:
                st.caption(claims.why)
        with st.container(key="everywhere"):
            if not showing_results:
                st.caption("Results are hidden until the facilitator reveals them.")
            elif claims.everywhere_shown:
                supported_everywhere(current)
            elif claims.map_shown or current.phase in ("results", "closed"):
                st.caption(claims.why)


live()
