"""The protocol messages the stand-in exchanges, as pydantic models."""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, Union

from pydantic import BaseModel, Field

LATEST_PROTOCOL_VERSION = "2025-06-18"

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603


class Implementation(BaseModel):
    name: str
    version: str


class Tool(BaseModel):
    name: str
    description: Optional[str] = None
    inputSchema: Dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})


class TextContent(BaseModel):
    type: Literal["text"] = "text"
    text: str


class CallToolResult(BaseModel):
    content: List[TextContent]
    isError: bool = False


class JSONRPCRequest(BaseModel):
    jsonrpc: Literal["2.0"]
    id: Optional[Union[int, str]] = None
    method: str
    params: Dict[str, Any] = Field(default_factory=dict)


class ErrorData(BaseModel):
    code: int
    message: str


class McpError(Exception):
    """An error answered to the client as a JSON-RPC error."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.error = ErrorData(code=code, message=message)
