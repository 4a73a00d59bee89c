"""The address every throttle counts by: forwarding headers believed only from configured proxies."""

from __future__ import annotations

import pytest

from consult import configuration
from consult.access.client_address import UNVERIFIED_FORWARDED, client_address, throttle_group

BALANCER = configuration.trusted_proxies(environ={"CONSULT_TRUSTED_PROXIES": "10.0.0.5, 127.0.0.1"}, secrets={})


def test_with_no_proxy_configured_a_forged_header_changes_nothing():
    for peer in ("198.51.100.7", None):  # a remote client, and one on the server itself
        for forged in ("1.2.3.4", "1.2.3.4, 5.6.7.8", "garbage", ""):
            assert client_address(peer, {"X-Forwarded-For": forged}, ()) == (peer or "127.0.0.1")


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client():
    # nginx at the edge appends what it saw; whatever the client wrote sits to the left and is never reached
    assert client_address("10.0.0.5", {"x-forwarded-for": "1.2.3.4, 203.0.113.8"}, BALANCER) == "203.0.113.8"
    assert client_address("10.0.0.5", {"X-Forwarded-For": "203.0.113.8"}, BALANCER) == "203.0.113.8"
    # two trusted hops (a local nginx in front of the balancer)
    assert client_address(None, {"X-Forwarded-For": "9.9.9.9, 203.0.113.8, 10.0.0.5"}, BALANCER) == "203.0.113.8"
    # garbage from a client in the right-most place: the proxy's own address is used, not the garbage
    assert client_address("10.0.0.5", {"X-Forwarded-For": "not-an-address"}, BALANCER) == "10.0.0.5"
    # a peer that is not the proxy: its header is not believed
    assert client_address("198.51.100.7", {"X-Forwarded-For": "203.0.113.8"}, BALANCER) == "198.51.100.7"
    assert client_address("10.0.0.5", {"X-Forwarded-For": "[2001:db8::1]:5555"}, BALANCER) == "2001:db8::1"


def test_when_the_server_may_have_rewritten_the_peer_forwarded_requests_share_one_key():
    assert client_address("1.2.3.4", {"X-Forwarded-For": "1.2.3.4"}, (), peer_is_raw=False) == UNVERIFIED_FORWARDED
    assert client_address("1.2.3.4", {}, (), peer_is_raw=False) == "1.2.3.4"


def test_ipv6_is_counted_by_its_64_and_ipv4_by_address():
    assert throttle_group("2001:db8:1:2::1") == throttle_group("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert throttle_group("2001:db8:1:3::1") != throttle_group("2001:db8:1:2::1")
    assert throttle_group("::ffff:192.0.2.1") == "192.0.2.1"
    assert throttle_group("192.0.2.1") != throttle_group("192.0.2.2")
    assert throttle_group(None) == "127.0.0.1"


def test_the_proxy_list_is_read_from_environment_then_secrets_and_refuses_typos():
    assert configuration.trusted_proxies(environ={}, secrets={}) == ()
    from_secrets = configuration.trusted_proxies(environ={}, secrets={"trusted_proxies": ["10.0.0.0/24"]})
    assert [str(n) for n in from_secrets] == ["10.0.0.0/24"]
    both = configuration.trusted_proxies(environ={"CONSULT_TRUSTED_PROXIES": "10.1.1.1"},
                                         secrets={"trusted_proxies": ["10.0.0.0/24"]})
    assert [str(n) for n in both] == ["10.1.1.1/32"]
    with pytest.raises(ValueError, match="10.0.0.300"):
        configuration.trusted_proxies(environ={"CONSULT_TRUSTED_PROXIES": "10.0.0.300"}, secrets={})
