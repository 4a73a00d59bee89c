"""Who a consultation or a ballot is for: the one rule for scopes.

A scope is a set of regions and a set of local parties (as the membership roll names them); empty sets mean the
whole party. Someone is in scope when their region is one of the regions (if any are named) and their local party
one of the local parties (if any are named). Stored as comma-separated text in two columns, so a scope is read
with the row it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from consult import regions
from consult.storage.errors import StoreError


def split(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(",") if part)


@dataclass(frozen=True)
class Scope:
    regions: tuple[str, ...] = ()
    local_parties: tuple[str, ...] = ()

    @classmethod
    def stored(cls, region_text: str | None, local_party_text: str | None) -> Scope:
        return cls(split(region_text), split(local_party_text))

    @classmethod
    def checked(cls, region_codes: Iterable[str] = (), local_parties: Iterable[str] = ()) -> Scope:
        """A scope from what staff chose: region codes must be UK regions, local parties non-blank without commas
        (the storage separator). Duplicates are dropped, order kept."""
        known = set(regions.region_codes())
        chosen_regions = tuple(dict.fromkeys(str(code).strip() for code in region_codes if str(code).strip()))
        unknown = [code for code in chosen_regions if code not in known]
        if unknown:
            raise StoreError(f"Not a UK region: {', '.join(unknown)}. Choose regions from the list.")
        parties = tuple(dict.fromkeys(" ".join(str(name).split()) for name in local_parties if str(name).strip()))
        if any("," in name for name in parties):
            raise StoreError("A local party's name cannot contain a comma.")
        return cls(chosen_regions, parties)

    @property
    def whole_party(self) -> bool:
        return not self.regions and not self.local_parties

    def columns(self) -> dict[str, str]:
        return {"scope_regions": ",".join(self.regions), "scope_local_parties": ",".join(self.local_parties)}

    @property
    def text(self) -> str:
        """Who it is for, in words: 'the whole party', 'North East', 'Newcastle Central or Gateshead in North East'."""
        if self.whole_party:
            return "the whole party"
        places = _either([regions.region_name(code) for code in self.regions])
        parties = _either(list(self.local_parties))
        if parties and places:
            return f"{parties} in {places}"
        return parties or places

    def admits(self, region: str | None, local_party: str | None) -> bool:
        if self.regions and region not in self.regions:
            return False
        return not self.local_parties or _fold(local_party) in {_fold(name) for name in self.local_parties}

    def refusal(self, region: str | None, local_party: str | None, *, from_roll: bool) -> str:
        """What someone outside the scope is told: who it is for, why they are not, and that they are welcome
        elsewhere (never a bare "refused")."""
        if self.regions and region not in self.regions:
            where = regions.region_name(region) if region and region in regions.region_codes() else None
            said = (f"Your membership record places you in {where}" if from_roll and where
                    else f"You chose {where}" if where else "You did not give a region in it")
            return (f"This consultation is for members in {self.text}. {said}, so it is not open to you, but "
                    "thank you for wanting to take part. Your local party can tell you about consultations for "
                    "your area.")
        said = (f"Your membership record gives {local_party}" if local_party
                else "Your membership record names no local party")
        return (f"This consultation is for members of {self.text}. {said}, so it is not open to you, but thank you "
                "for wanting to take part. Your local party can tell you about consultations for your area.")


WHOLE_PARTY = Scope()


def _fold(name: str | None) -> str:
    return " ".join(str(name or "").split()).casefold()


def _either(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]
