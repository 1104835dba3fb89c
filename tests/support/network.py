"""A guard that fails any test trying to reach a non-loopback address."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo

LOCAL_NAMES = {"localhost", "localhost.localdomain", "", None}


class NonLoopbackTraffic(AssertionError):
    pass


def _check_host(host: Any) -> None:
    if isinstance(host, bytes):
        host = host.decode()
    if host in LOCAL_NAMES:
        return
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError as error:
        raise NonLoopbackTraffic(f"tests may not resolve or reach {host!r}") from error
    if not address.is_loopback and not address.is_unspecified:
        raise NonLoopbackTraffic(f"tests may not reach {host!r}")


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        _check_host(address[0])


def _connect(self: socket.socket, address: Any) -> None:
    _check(self, address)
    _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _check(self, address)
    return _real_connect_ex(self, address)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    _check_host(host)
    return _real_getaddrinfo(host, *args, **kwargs)


def install() -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo
