"""The audit log: every officer and facilitator action, newest first."""

import pandas as pd
import streamlit as st

from consult import storage
from consult.app import resources
from consult.app.components import pick_consultation, require_role
from consult.publishing import audit_view

require_role("officer")
st.title("Audit log")
consultation = pick_consultation()
log = audit_view.readable_log(resources.engine(), consultation.id)
st.header("Latest", anchor=False)
for row in log.head(8).itertuples():
    st.text(" · ".join(part for part in (row.When, row.Who, row.What, row.Which) if part)
            + (f" · reason: {row.Reason}" if row.Reason else ""))
st.header("Everything", anchor=False)
st.dataframe(log, hide_index=True, width="stretch")

st.header("Staff sign-ins", anchor=False)
st.caption("Every sign-in, wrong password and refused try, with the client address (kept with the audit log). "
           "Names that are not accounts are not written down: people sometimes type a password there.")
sign_ins = storage.audit_frame(resources.engine(), None)
sign_ins = sign_ins[sign_ins["consultation_id"].isna() & sign_ins["action"].str.startswith("sign_in")].head(200)
st.dataframe(pd.DataFrame({
    "When": pd.to_datetime(sign_ins["created_ms"], unit="ms", utc=True).dt.strftime("%Y-%m-%d %H:%M:%S"),
    "Account": sign_ins["actor"], "What": sign_ins["action"].map({
        "sign_in": "signed in", "sign_in_failed": "wrong name or password", "sign_in_refused": "refused: too many tries"}),
    "Detail": sign_ins["detail"],
}), hide_index=True, width="stretch")
