"""Which address the wrong-code limit counts a visitor under (ui/client_address.py): the websocket's peer when
the visitor reached the app directly, else the last X-Forwarded-For entry, the one a proxy added."""
from __future__ import annotations

import pytest

from ui.client_address import address_from


@pytest.mark.parametrize("peer, forwarded_for, expected", [
    # reached directly from the internet: the peer, whatever the browser wrote in the header (public
    # addresses here: the documentation ranges used below count as private, like 10.0.0.0/8)
    ("81.2.69.160", [], "81.2.69.160"),
    ("81.2.69.160", ["198.51.100.23"], "81.2.69.160"),
    # behind Caddy or an ingress (a private or loopback peer; None is loopback): the proxy's own entry, the last
    ("172.18.0.5", ["203.0.113.7"], "203.0.113.7"),
    ("10.42.0.17", ["1.2.3.4, 203.0.113.7"], "203.0.113.7"),  # 1.2.3.4 came from the browser: never used
    (None, ["1.2.3.4", "203.0.113.7"], "203.0.113.7"),  # the header given twice: the last line's last entry
    (None, [" 203.0.113.7 "], "203.0.113.7"),
    # a classroom laptop serving its own network: the student's private address
    ("192.168.1.23", [], "192.168.1.23"),
    ("192.168.1.23", ["not an address"], "192.168.1.23"),
    # no address known: only the session's limit applies
    (None, [], None),
    (None, ["unknown"], None),
    ("not an address", [], None),
    # IPv6: the /64 block a home or school is given; an IPv4 address written as IPv6 is the IPv4 one
    ("2a01:4f8:7:1:aaaa:bbbb:cccc:dddd", [], "2a01:4f8:7:1::/64"),
    ("fd00::5", ["2001:DB8:7:1::9"], "2001:db8:7:1::/64"),
    ("::ffff:81.2.69.160", [], "81.2.69.160"),
    ("100.64.3.9", ["81.2.69.160"], "81.2.69.160"),  # a shared (carrier-grade NAT) peer counts as a proxy too
])
def test_the_address_is_the_peer_or_what_the_proxy_added(peer, forwarded_for, expected):
    assert address_from(peer, forwarded_for) == expected
