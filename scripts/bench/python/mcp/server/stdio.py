"""Newline-delimited JSON-RPC over the process's stdin and stdout, read and written with anyio."""

from __future__ import annotations

import json
import sys
from typing import Any, AsyncIterator, Dict

import anyio

from ..types import PARSE_ERROR


async def read_messages() -> AsyncIterator[Dict[str, Any]]:
    """Each line of stdin as a JSON object; a line that is not one is answered with a parse error."""
    stdin = anyio.wrap_file(sys.stdin)
    async for line in stdin:
        text = line.strip()
        if not text:
            continue
        try:
            message = json.loads(text)
        except ValueError:
            await write_message({"jsonrpc": "2.0", "id": None, "error": {"code": PARSE_ERROR, "message": "not JSON"}})
            continue
        if isinstance(message, dict):
            yield message


_write_lock = anyio.Lock()


async def write_message(message: Dict[str, Any]) -> None:
    async with _write_lock:
        sys.stdout.write(json.dumps(message, separators=(",", ":"), ensure_ascii=False) + "\n")
        sys.stdout.flush()
