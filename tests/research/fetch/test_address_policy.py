import pytest

from coldflow.research.fetch.address_policy import refusal_reason

REFUSED_EVERYWHERE = [
    ("10.0.0.5", "private address 10.0.0.5"),
    ("172.16.3.4", "private address 172.16.3.4"),
    ("192.168.1.1", "private address 192.168.1.1"),
    ("100.64.0.1", "private address 100.64.0.1"),
    ("169.254.169.254", "link-local address 169.254.169.254"),
    ("0.0.0.0", "unspecified address 0.0.0.0"),
    ("224.0.0.251", "multicast address 224.0.0.251"),
    ("255.255.255.255", "reserved address 255.255.255.255"),
    ("240.0.0.1", "reserved address 240.0.0.1"),
    ("192.0.2.10", "private address 192.0.2.10"),
    ("198.18.0.1", "private address 198.18.0.1"),
    ("::", "unspecified address ::"),
    ("fe80::1", "link-local address fe80::1"),
    ("fc00::1", "private address fc00::1"),
    ("fd12:3456::1", "private address fd12:3456::1"),
    ("ff02::1", "multicast address ff02::1"),
    ("2001:db8::1", "private address 2001:db8::1"),
    ("::ffff:10.0.0.5", "private address ::ffff:10.0.0.5"),
    ("::ffff:169.254.169.254", "link-local address ::ffff:169.254.169.254"),
    ("2002:a00:5::1", "private address 2002:a00:5::1"),
    ("64:ff9b::a9fe:a9fe", "link-local address 64:ff9b::a9fe:a9fe"),
]
LOOPBACK = ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]
PUBLIC = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize(("address", "reason"), REFUSED_EVERYWHERE)
def test_it_refuses_internal_addresses_in_real_mode(address: str, reason: str) -> None:
    assert refusal_reason(address, allow_loopback=False) == reason


@pytest.mark.parametrize(("address", "reason"), REFUSED_EVERYWHERE)
def test_it_refuses_internal_addresses_in_sandbox_mode_too(address: str, reason: str) -> None:
    assert refusal_reason(address, allow_loopback=True) == reason


@pytest.mark.parametrize("address", LOOPBACK)
def test_it_refuses_loopback_in_real_mode(address: str) -> None:
    reason = refusal_reason(address, allow_loopback=False)
    assert reason is not None and reason.startswith("loopback address")


@pytest.mark.parametrize("address", LOOPBACK)
def test_it_allows_loopback_in_sandbox_mode(address: str) -> None:
    assert refusal_reason(address, allow_loopback=True) is None


@pytest.mark.parametrize("address", PUBLIC)
def test_it_allows_public_addresses(address: str) -> None:
    assert refusal_reason(address, allow_loopback=False) is None


def test_it_refuses_what_is_not_an_address() -> None:
    assert refusal_reason("localhost", allow_loopback=True) == "not an IP address: localhost"


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.1", "fd12:3456::1", "::ffff:10.0.0.5"])
def test_private_networks_pass_only_when_allowed(address: str) -> None:
    assert refusal_reason(address, allow_loopback=False, allow_private=True) is None
    assert refusal_reason(address, allow_loopback=False) is not None


@pytest.mark.parametrize("address", ["169.254.169.254", "224.0.0.251", "240.0.0.1", "0.0.0.0"])
def test_allowing_private_networks_still_refuses_link_local_multicast_and_reserved(
    address: str,
) -> None:
    assert refusal_reason(address, allow_loopback=True, allow_private=True) is not None
