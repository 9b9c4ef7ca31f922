"""A bulk reader of one JetStream stream for the replay, on a plain NATS protocol connection.

nats-py builds a message object and parses every header of every message (most of its time
in a replay: ~25k messages/s here); a replay needs only each message's subject, payload and
``ce-time``. So the replay creates an ordinary push consumer through nats-py (ephemeral, no
acks, flow control) and reads its deliveries on a second, bare connection that slices the
protocol frames (``HMSG``) straight out of its receive buffer (~5x faster). Flow-control
requests are answered only after the caller has taken the messages before them, so a slow
database pauses the server instead of filling memory.

Plain ``nats://`` URLs only (user/password or token allowed); the replay falls back to
nats-py's ordered consumer for anything else (TLS, credentials files).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from suxin_common import natsauth

_STATUS = b"NATS/1.0 100"
_CE_TIME = b"ce-time:"

# (subject, payload, ce-time header value or b"") for each message of a chunk.
Chunk = list[tuple[bytes, bytes, bytes]]


def supported(nats_url: str) -> bool:
    parts = urlsplit(nats_url.split(",")[0])
    return parts.scheme in ("nats", "") and bool(parts.hostname)


async def read_stream(
    js,
    nats_url: str,
    stream: str,
    expected: int,
    on_chunk: Callable[[Chunk], Awaitable[None]],
    *,
    chunk_size: int = 2000,
    stall_s: float = 30.0,
) -> int:
    """Deliver the stream's first ``expected`` messages to ``on_chunk``; the number read."""
    url = urlsplit(nats_url.split(",")[0])
    reader, writer = await asyncio.open_connection(url.hostname, url.port or 4222, limit=1 << 24)
    name = f"em-replay-{uuid.uuid4().hex[:10]}"
    try:
        await asyncio.wait_for(reader.readline(), stall_s)  # INFO
        connect = {"verbose": False, "pedantic": False, "headers": True, "protocol": 1}
        if url.username and url.password:
            connect |= {"user": url.username, "pass": url.password}
        elif url.username:
            connect["auth_token"] = url.username
        # Under the user's own inbox prefix: the only place its NATS user may receive.
        inbox = f"{natsauth.inbox_prefix(nats_url)}.EMREPLAY.{uuid.uuid4().hex}"
        writer.write(f"CONNECT {json.dumps(connect)}\r\nSUB {inbox} 1\r\nPING\r\n".encode())
        await writer.drain()
        await js.add_consumer(
            stream,
            ConsumerConfig(
                name=name,
                deliver_subject=inbox,
                ack_policy=AckPolicy.NONE,
                deliver_policy=DeliverPolicy.ALL,
                flow_control=True,
                idle_heartbeat=5.0,
                inactive_threshold=60.0,
            ),
        )
        return await _pump(reader, writer, expected, on_chunk, chunk_size, stall_s)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
        with contextlib.suppress(Exception):
            await js.delete_consumer(stream, name)


async def _pump(reader, writer, expected, on_chunk, chunk_size, stall_s) -> int:
    buf = b""
    pos = 0
    got = 0
    chunk: Chunk = []
    flow_replies: list[bytes] = []
    while got < expected:
        data = await asyncio.wait_for(reader.read(1 << 20), stall_s)
        if not data:
            raise ConnectionError("the NATS server closed the replay connection")
        buf = buf[pos:] + data if pos < len(buf) else data
        pos = 0
        while got < expected:
            end = buf.find(b"\r\n", pos)
            if end < 0:
                break
            if buf.startswith(b"HMSG ", pos):
                parts = buf[pos + 5 : end].split(b" ")
                header_len, total_len = int(parts[-2]), int(parts[-1])
                start = end + 2
                if len(buf) < start + total_len + 2:
                    break  # the rest of this frame is still on its way
                if buf.startswith(_STATUS, start):
                    if len(parts) == 5:  # a flow-control request carries a reply subject
                        flow_replies.append(b"PUB " + parts[2] + b" 0\r\n\r\n")
                else:
                    header = buf[start : start + header_len]
                    at = header.find(_CE_TIME)
                    ce_time = b""
                    if at >= 0:
                        stop = header.find(b"\r\n", at)
                        ce_time = header[at + len(_CE_TIME) : stop].strip()
                    chunk.append((parts[0], buf[start + header_len : start + total_len], ce_time))
                    got += 1
                pos = start + total_len + 2
            elif buf.startswith(b"MSG ", pos):  # no headers: never a JetStream delivery here
                parts = buf[pos + 4 : end].split(b" ")
                size = int(parts[-1])
                if len(buf) < end + 2 + size + 2:
                    break
                pos = end + 4 + size
            else:
                line = buf[pos:end]
                if line == b"PING":
                    writer.write(b"PONG\r\n")
                elif line.startswith(b"-ERR"):
                    raise ConnectionError(line.decode(errors="replace"))
                pos = end + 2
            if len(chunk) >= chunk_size:
                await on_chunk(chunk)
                chunk = []
        if chunk and (flow_replies or got >= expected):
            await on_chunk(chunk)
            chunk = []
        if flow_replies:
            # Only now that the messages before them were taken: backpressure.
            writer.write(b"".join(flow_replies))
            flow_replies.clear()
            await writer.drain()
    if chunk:
        await on_chunk(chunk)
    return got
