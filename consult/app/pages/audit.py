"""The audit log: every officer and facilitator action, newest first."""

import pandas as pd
import streamlit as st

from consult import store
from consult.app import resources
from consult.app.components import pick_consultation, require_role

require_role("officer")
st.title("Audit log")
consultation = pick_consultation()
log = store.audit_frame(resources.engine(), consultation.id)
st.dataframe(pd.DataFrame({
    "When": pd.to_datetime(log["created_ms"], unit="ms", utc=True).dt.strftime("%Y-%m-%d %H:%M:%S"),
    "Who": log["actor"], "Action": log["action"], "On": log["target_type"].fillna("") + " " +
    log["target_id"].astype("Int64").astype(str).replace("<NA>", ""), "Reason": log["reason"], "Detail": log["detail"],
}), hide_index=True, width="stretch")
