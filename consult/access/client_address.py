"""Who is knocking: the client address every throttle counts by, and how addresses are grouped.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the connection comes from a
configured proxy (`configuration.trusted_proxies`, none by default). Then the header is read from the right (each
proxy appends the address it saw) and the first address that is not itself a trusted proxy is the client: a
client's forged entries sit to the left of it and are never reached.

The app server (`consult.app.serve`) tells uvicorn to believe no proxy at all, so the address Streamlit reports is
the TCP peer and this module alone decides. Under a plain `streamlit run`, uvicorn believes headers from the same
machine and the peer is lost; then a request carrying the header is counted under one shared key (never under an
address the client chose).

Throttles count IPv6 clients by their /64 network: one household or one phone is given a whole /64 and can pick
any address in it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

from consult.configuration import Network

LOOPBACK = "127.0.0.1"
# set by `consult.app.serve` for the server it starts: uvicorn was told to believe no X-Forwarded-For, so the peer
# Streamlit reports is the real one and this module alone decides which proxies to trust
PEER_IS_RAW_ENV = "CONSULT_PEER_IS_RAW"
UNVERIFIED_FORWARDED = "forwarded-unverified"  # the shared key when the peer cannot be known (see above)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address, proxies: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(peer: str | None, headers: Mapping[str, str] | None, proxies: Iterable[Network], *,
                   peer_is_raw: bool = True) -> str:
    """The client's address. `peer` is the connection's address (None for loopback, as Streamlit reports it);
    `peer_is_raw` is False when the server may already have replaced the peer with a forwarded address."""
    proxies = tuple(proxies)
    forwarded = _header(headers, "x-forwarded-for")
    if not peer_is_raw:
        return UNVERIFIED_FORWARDED if forwarded else (peer or LOOPBACK)
    peer_address = _parse(peer or LOOPBACK)
    if peer_address is None:
        return str(peer)
    if not forwarded or not _trusted(peer_address, proxies):
        return str(peer_address)
    client = peer_address
    for item in reversed(forwarded.split(",")):
        hop = _parse(item)
        if hop is None:  # garbage in the header: stop at the last address a trusted proxy vouched for
            break
        client = hop
        if not _trusted(hop, proxies):
            break
    return str(client)


def throttle_group(address: str | None) -> str:
    """The key a throttle counts `address` under: the address itself, or its /64 for IPv6."""
    parsed = _parse(address or LOOPBACK)
    if parsed is None:
        return (address or LOOPBACK)[:64]
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    if not headers:
        return ""
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)
    return ""
