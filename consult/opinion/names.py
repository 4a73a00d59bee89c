"""What an opinion group is called wherever it is shown: the Consensus page, the opinion map, the report and the
questions' cross-tabs name the same group the same way."""


def group_name(group: int | float) -> str:
    """'Group 1' for the first group (the fitted labels count from 0)."""
    return f"Group {int(group) + 1}"
