"""A private network namespace with only a loopback interface, for the browser tests and the benchmark.

Entering it moves the calling thread (pytest's main thread) into a new network namespace; the local
stack and Chromium, started afterwards as child processes, live there too. So the only network the
browsers and the stack can see is 127.0.0.1: WebRTC can only gather loopback candidates, and no media
or request can leave the machine. Needs CAP_SYS_ADMIN (root, as on the project's machines and CI).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import socket
import struct
import threading
from collections.abc import Callable

CLONE_NEWNET = 0x40000000
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1


def _loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))


def enter_loopback_only_network() -> Callable[[], None]:
    """Moves this thread into a new network namespace with `lo` up; returns a function that moves it back.

    Raises OSError when the kernel refuses (no privilege).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    previous = os.open(f"/proc/self/task/{threading.get_native_id()}/ns/net", os.O_RDONLY)
    if libc.unshare(CLONE_NEWNET) != 0:
        errno = ctypes.get_errno()
        os.close(previous)
        raise OSError(errno, f"unshare(CLONE_NEWNET) failed: {os.strerror(errno)}")
    try:
        _loopback_up()
    except OSError:
        libc.setns(previous, CLONE_NEWNET)
        os.close(previous)
        raise

    def leave() -> None:
        libc.setns(previous, CLONE_NEWNET)
        os.close(previous)

    return leave


def interfaces() -> list[str]:
    """Names of the network interfaces this thread can see."""
    return [name for _, name in socket.if_nameindex()]
