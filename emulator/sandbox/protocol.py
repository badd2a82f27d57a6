"""Messages between the server and its sandbox processes: length-prefixed JSON frames over a
Unix socket. JSON, never pickle: the server must not unpickle what a sandbox sends."""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

_HEADER = struct.Struct(">I")
#: The largest frame either side accepts (images travel base64-encoded).
MAX_FRAME = 256 * 1024 * 1024


class ChannelClosed(EOFError):
    """The other side went away (a sandbox process that died or was killed)."""


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message, separators=(",", ":")).encode()
    frame = _HEADER.pack(len(data)) + data
    if fds:
        socket.send_fds(sock, [frame[:4]], fds)
        sock.sendall(frame[4:])
    else:
        sock.sendall(frame)


def receive(sock: socket.socket, *, with_fds: bool = False) -> tuple[dict[str, Any], list[int]]:
    fds: list[int] = []
    if with_fds:
        head, fds, _flags, _addr = socket.recv_fds(sock, 4, 4)
        if not head:
            raise ChannelClosed("the sandbox process closed its channel")
        head += _read(sock, 4 - len(head))
    else:
        head = _read(sock, 4)
    (size,) = _HEADER.unpack(head)
    if size > MAX_FRAME:
        raise ChannelClosed(f"a frame of {size} bytes is over the limit")
    return json.loads(_read(sock, size)), fds


def _read(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            raise ChannelClosed("the sandbox process closed its channel")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
