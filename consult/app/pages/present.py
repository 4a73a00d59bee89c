"""The presenter view for the shared screen: join QR code, live counts, regions, and results when revealed."""

import base64

import streamlit as st

from consult import charts, qr, regions, storage
from consult import live as live_data
from consult.app import resources
from consult.app.components import proposal_card, say
from consult.storage import themes as theme_store
from consult.text import shorten

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

# large type and high contrast for a projector; no member text goes into this block
st.html("""<style>
  [data-testid="stMetricValue"] { font-size: 3.2rem; }
  [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
  [data-testid="stText"] { font-size: 1.35rem; color: #000; }
  [data-testid="stHeading"] h1 { font-size: 3rem; }
</style>""")
join_link = qr.join_url(resources.public_base_url(), consultation.join_code)

left, right = st.columns([1, 2.2], gap="large")
with left:
    # an <img> with alt text (st.image has none): join codes are letters and digits, the link our own address
    st.html(f'<img src="data:image/png;base64,{base64.b64encode(qr.qr_png(join_link)).decode()}" '
            f'alt="QR code: scan to join with the code {consultation.join_code}" style="width:100%">'
            '<p style="text-align:center;font-size:1.4rem;margin:0">Scan to take part</p>')
    # join codes are letters and digits only (storage.normalise_join_code), so Markdown cannot be injected here
    st.markdown(f"# {consultation.join_code}")
    st.text(join_link)


@st.fragment(run_every="2s")
def live() -> None:
    current = storage.get_consultation(engine, consultation.id)
    counts = storage.counts(engine, current.id)
    st.title(current.title, anchor=False)
    phase_text = {"collecting": "Proposals open", "voting": "Voting open", "results": "Results",
                  "closed": "Closed", "draft": "Not open yet"}[current.phase]
    st.caption(phase_text)
    cols = st.columns(3)
    cols[0].metric("Taking part", f"{counts.participants:,}")
    cols[1].metric("Proposals", f"{counts.published:,}")
    cols[2].metric("Votes", f"{counts.votes:,}")
    baseline_name = storage.baseline_name_for(engine, current)
    if baseline_name == storage.MEMBERSHIP:
        st.caption("Taking part compared with the party's membership in each region")
    st.plotly_chart(charts.region_tile_map(resources.representation(current.id, baseline_name, current.min_cell),
                                           font_size=15),
                    width="stretch", config={"displayModeBar": False, "staticPlot": True},
                    key="tile_map")
    if current.results_visible or current.phase in ("results", "closed"):
        groups = resources.opinion_group_count(current.id)
        if groups >= 2:
            st.caption(f"{groups} opinion groups so far. These proposals are supported across regions:")
        st.subheader("Most support across every region", anchor=False)
        top = resources.top_consensus(current.id)
        published = resources.published(current.id)
        if top.empty:
            st.caption("Waiting for the first votes.")
        names = regions.region_names()
        for row in top.itertuples():
            if row.proposal_id in published.index:
                proposal_card(published.loc[row.proposal_id, "body"])
                st.caption(f"{row.support:.0%} agree · {row.votes} votes · majority in all 12 regions "
                           f"{row.prob_all:.0%} likely · weakest: {names.get(row.weakest_region, '–')} "
                           f"(about {row.weakest_support:.0%})")
        themes = theme_store.themes_frame(engine, current.id)
        themes = themes[~themes["is_other"]].head(8)
        if len(themes):
            st.subheader("Themes so far", anchor=False)
            for theme in themes.itertuples():
                st.text(f"{shorten(theme.label, 60)} · {theme.size} proposals")
    else:
        st.info("Results are hidden until the facilitator reveals them.", icon=":material/visibility_off:")
    if current.phase in ("results", "closed"):
        answered = resources.published_responses(current.id).head(3)
        if len(answered):
            st.subheader("You said, we did", anchor=False)
            for row in answered.itertuples():
                with st.container(border=True):
                    st.text(row.proposal)
                    st.text(f"{row.status_label}: {row.response}" if row.response else row.status_label)
    newest = live_data.newest_proposals(engine, current.id, 4)  # straight from the database: seconds matter here
    if len(newest):
        st.subheader("Just in", anchor=False)
        for row in newest.itertuples():
            proposal_card(row.body, region=row.region if row.region in regions.answer_codes() else None)


with right:
    live()
