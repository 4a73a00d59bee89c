"""Who may open the presenter view of a consultation.

The presenter shows only what members may see, so for an open or mixed consultation the join code is enough: anyone
with the code could join and see the same. A members-only consultation's proposals are for verified members, so its
presenter needs the facilitator's presenter link, which carries a key made from the server secret (HMAC-SHA256,
`keys.keyed_hash`): unguessable, the same on every replica, and never derived from the join code alone.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

from consult import keys
from consult.storage.records import Consultation

KEY_PARAM = "key"


def presenter_key(consultation_id: int) -> str:
    return keys.keyed_hash("presenter-link", consultation_id)[:32]


def needs_key(consultation: Consultation) -> bool:
    return consultation.access == "members"


def may_present(consultation: Consultation, key: str | None) -> bool:
    """True when this request may see the presenter view: always for open and mixed consultations, and with the
    right key for members-only ones."""
    if not needs_key(consultation):
        return True
    return bool(key) and hmac.compare_digest(str(key), presenter_key(consultation.id))


def presenter_path(consultation: Consultation, *, kiosk: bool = True) -> str:
    """The presenter view's path and query for the facilitator's button (with the key where one is needed)."""
    query = {"code": consultation.join_code}
    if needs_key(consultation):
        query[KEY_PARAM] = presenter_key(consultation.id)
    if kiosk:
        query.update({"mode": "kiosk", "embed": "true"})
    return "/present?" + urlencode(query)
