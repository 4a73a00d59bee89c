"""A form tool's export as officers receive it, written for the import tests: free-spelled regions (Welsh,
Gaelic and Irish names, abbreviations, "&", case), a 1-5 support column with stray text, formula cells, empty and
over-long answers, repeated membership numbers, and a timestamp first."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REGION_SPELLINGS = ["Cymru", "N. Ireland", "Yorkshire & Humber", "yorkshire and the humber", "Alba", "LONDON",
                    "north-east", "Tuaisceart Éireann", "W Midlands", "South West", "east of england", "NW",
                    "Scotland", "Wales", "London", "south east"]
SCALE_ANSWERS = ["4", "5 - strongly", "Strongly agree", "1", "2", "3", "5", "4 ", "disagree", "5"]


def messy_frame() -> pd.DataFrame:
    rows = []
    for i in range(62):
        rows.append({
            "Timestamp": f"2026/11/{1 + i % 28:02d} 10:{i % 60:02d}:00",
            "Where do you live?": REGION_SPELLINGS[i % len(REGION_SPELLINGS)],
            "What should a regional assembly be able to decide?": (
                f"Regional assemblies should control bus routes and fares in area {i}, set by people who use them."
                if i % 3 else f"Give the assembly powers over housing and planning, number {i}, not Whitehall."),
            "How strongly do you support this? (1-5)": SCALE_ANSWERS[i % len(SCALE_ANSWERS)],
            "Membership number (optional)": f"M{1000 + i}" if i % 4 else "",
        })
    frame = pd.DataFrame(rows)
    text = "What should a regional assembly be able to decide?"
    support = "How strongly do you support this? (1-5)"
    frame.loc[5, text] = ""                                  # an empty answer: the only kind of row rejected
    frame.loc[9, text] = "   "                               # blank too
    frame.loc[11, text] = "Devolve everything. " * 250       # 5,000 characters: kept whole, flagged
    frame.loc[13, support] = "=HYPERLINK(\"http://x\",\"5\")"  # a formula: that answer blanked, row kept
    frame.loc[17, support] = "not sure really??"             # words that read as neutral
    frame.loc[19, support] = "five!!"                        # stray text: blanked and reported
    frame.loc[21, "Where do you live?"] = "Atlantis"         # no such region: listed with its row
    frame.loc[23, "Where do you live?"] = "=cmd|' /C calc'!A0"  # a formula in the region column
    frame.loc[25, text] = "=1+1 is what councils add up to"  # formula-looking text is still an answer
    frame.loc[30, "Membership number (optional)"] = "M1029"  # the same member twice (row 29 has M1029)
    return frame


def write_messy_csv(folder: Path) -> Path:
    path = folder / "form export.csv"
    messy_frame().to_csv(path, index=False)
    return path
