"""Which address a visitor connects from, for a limit that must outlast a reload: wrong class codes.

Streamlit gives the address at the other end of the page's websocket, st.context.ip_address (None when that
is the machine itself, 127.0.0.1 or ::1, and under streamlit.testing). Behind the project's Caddy
(deploy/Caddyfile) or a Kubernetes ingress, that other end is the proxy, at an address that is not a public
one (private, loopback or shared), and the visitor's own address is the last one in the X-Forwarded-For
header: the one the proxy added. Any earlier one came from the browser, which may write anything there, so it
is never used.

A visitor who reaches the app directly from a private network (a laptop serving its classroom) is known by
that private address. Such a visitor could also write an X-Forwarded-For of their own, a new one after every
reload, and then only each session's limit holds them back (docs/decisions/021-wrong-code-limits.md).
"""
from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import streamlit as st

FORWARDED_FOR = "X-Forwarded-For"
IPV6_BLOCK = 64  # one home or school gets a whole /64 of IPv6 addresses and may use any: count the block


def _parsed(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:203.0.113.7 is 203.0.113.7
    return address


def _as_key(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """The address as the limit counts it: an IPv4 address, or the /64 block an IPv6 address is in."""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_BLOCK), strict=False))
    return str(address)


def address_from(peer: str | None, forwarded_for: Sequence[str]) -> str | None:
    """The visitor's address from the websocket's peer and the X-Forwarded-For header's lines; None when no
    address is known (then only the session's limit applies)."""
    at_peer = _parsed(peer) if peer is not None else None
    if at_peer is not None and at_peer.is_global:
        return _as_key(at_peer)  # the visitor reached the app directly: no proxy in between
    # The peer is this machine (None) or not a public address: a proxy's, whose own entry is the last one.
    entries = [entry for line in forwarded_for for entry in line.split(",")]
    forwarded = _parsed(entries[-1]) if entries else None
    if forwarded is not None:
        return _as_key(forwarded)
    return _as_key(at_peer) if at_peer is not None else None


def client_address() -> str | None:
    """This visitor's address, as address_from() reads it from Streamlit's context."""
    return address_from(st.context.ip_address, st.context.headers.get_all(FORWARDED_FOR))
