"""Ballots: members decide. Counting rules, ballot files and the ballot workflow's pure parts.

- `preferences`: a ranked-ballot profile (candidates, seats, ballots with weights) and its checks.
- `blt`: reading and writing BLT files (the format OpenSTV, eSTV and the Scottish councils' records use).
- `scottish_stv`: the statutory Scottish local-government STV count (Droop quota, weighted inclusive Gregory,
  five-decimal truncation, the statutory tie rules), with instant-runoff as its one-seat case.
- `pabulib`: reading and writing participatory-budget `.pb` files.
- `equal_shares`: the Method of Equal Shares (cost satisfaction, add-one completion) and the plain greedy rule,
  with a reason for every project funded or not.
- `motion`: for / against / abstain with quorum and majority rules.
- `preferences` also turns the numbers a voter wrote beside options into a ranking (`ranking_from_numbers`).
- `results`: a closed ballot's result from its papers, by region where cells are large enough.
- `count_file`: count any BLT / `.pb` / motion CSV file by a named method (what `consult count` runs).

The counters import only the standard library, numpy and pandas; `results` also names regions (`consult.regions`)
and reads the `storage.ballots.Ballot` settings it is given. Storage, publishing, the CLI and the app build on it.
"""
