"""A synthetic membership roll for the demo (no real people): numbers DM000001..., postcodes in the ZZ99 area
(a pseudo-postcode no address has), and a membership that leans to London more than the population does, as
the brief fears. Loaded with the demo so the Overview can compare population, membership and participation."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from consult import regions
from consult.access import roll_file as membership
from consult.storage import roll

DEMO_MEMBERS = 20_000
LONDON_LEAN = 1.9  # London's share of members against its share of the population
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters UK postcodes use in the inward code


def synthetic_roll(seed: int = 2026, n: int = DEMO_MEMBERS) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    population = regions.population_baseline()
    weights = population * np.where(population.index == "E12000007", LONDON_LEAN, 1.0)
    region = rng.choice(population.index.to_numpy(), size=n, p=(weights / weights.sum()).to_numpy())
    inward = [f"{d}{LETTERS[a]}{LETTERS[b]}" for d, a, b in zip(rng.integers(0, 10, n), rng.integers(0, 20, n),
                                                                rng.integers(0, 20, n), strict=True)]
    return pd.DataFrame({
        "membership_number": [f"DM{i:06d}" for i in range(1, n + 1)],
        "postcode": [f"ZZ99 {code}" for code in inward],
        "region": [regions.region_name(code) for code in region],
        "local_party": [f"{regions.region_name(code)} local party {k}" for code, k in
                        zip(region, rng.integers(1, 6, n), strict=True)],
    })


def install(engine: Engine, seed: int = 2026) -> int:
    parsed = membership.read_roll(synthetic_roll(seed), number_col="membership_number", verifier_col="postcode",
                                  region_col="region", local_party_col="local_party")
    return roll.replace_roll(engine, parsed.rows, verifier_label="Postcode", source_name="demo roll (synthetic)",
                             actor="consult demo")
