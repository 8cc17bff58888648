"""The client's address behind trusted proxies (recall/lib/client_ip.py): no database."""

import pytest

from recall.lib.client_ip import client_address


@pytest.mark.parametrize(
    ("meta", "proxies", "expected"),
    [
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, 0, "10.0.0.1"),
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, 1, "203.0.113.9"),
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}, 1,
         "203.0.113.9"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9, 10.0.0.1"}, 2,
         "203.0.113.9"),
        ({"REMOTE_ADDR": "10.0.0.1"}, 1, "10.0.0.1"),  # no header: not through the proxy
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, 2, "10.0.0.2"),
        ({}, 0, ""),
    ],
)  # fmt: skip
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(meta, proxies, expected):
    assert client_address(meta, proxies) == expected
