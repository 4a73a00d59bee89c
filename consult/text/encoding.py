"""Bytes from other tools' files as text: UTF-8 where it is, Windows-1252 line by line where it is not."""

from __future__ import annotations


def decode(data: bytes) -> tuple[str, int]:
    """UTF-8 text, line by line falling back to Windows-1252 for lines that are not UTF-8.

    Returns the text and how many lines needed the fallback (files pasted together from several tools mix them).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    lines, fixed = [], 0
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            fixed += 1
    return "\n".join(lines), fixed
