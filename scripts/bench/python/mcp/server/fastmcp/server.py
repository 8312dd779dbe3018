"""The FastMCP server of the stand-in SDK."""

from __future__ import annotations

import inspect
import json
import logging
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Type

import anyio
from pydantic import BaseModel, ValidationError

from ... import types
from ..stdio import read_messages, write_message
from .arguments import arguments_model, input_schema

logger = logging.getLogger("mcp.server.fastmcp")


@dataclass
class _RegisteredTool:
    fn: Callable[..., Any]
    name: str
    description: str
    arguments: Type[BaseModel]

    def describe(self) -> types.Tool:
        return types.Tool(name=self.name, description=self.description, inputSchema=input_schema(self.arguments))


class FastMCP:
    def __init__(self, name: str, instructions: Optional[str] = None, version: str = "0.0.0") -> None:
        self.name = name
        self.instructions = instructions
        self.version = version
        self._tools: Dict[str, _RegisteredTool] = {}

    def tool(self, name: Optional[str] = None, description: Optional[str] = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Registers the decorated function as a tool; its docstring is the description unless one is given."""

        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            tool_name = name or fn.__name__
            if tool_name in self._tools:
                raise ValueError(f"tool {tool_name!r} is registered twice")
            text = description if description is not None else inspect.cleandoc(fn.__doc__ or "")
            self._tools[tool_name] = _RegisteredTool(fn, tool_name, text, arguments_model(fn))
            return fn

        return register

    def list_tools(self) -> List[types.Tool]:
        return [tool.describe() for tool in self._tools.values()]

    async def call_tool(self, name: str, arguments: Dict[str, Any]) -> types.CallToolResult:
        tool = self._tools.get(name)
        if tool is None:
            raise types.McpError(types.INVALID_PARAMS, f"unknown tool {name!r}")
        try:
            checked = tool.arguments(**arguments)
        except ValidationError as error:
            raise types.McpError(types.INVALID_PARAMS, str(error)) from None
        try:
            result = tool.fn(**checked.dict())
            if inspect.isawaitable(result):
                result = await result
        except Exception as error:  # the model sees the error, the server keeps running
            logger.info("tool %s failed: %s", name, error)
            return types.CallToolResult(content=[types.TextContent(text=str(error))], isError=True)
        return types.CallToolResult(content=[types.TextContent(text=_as_text(result))])

    def run(self, transport: str = "stdio") -> None:
        if transport != "stdio":
            raise ValueError("this stand-in speaks stdio only")
        anyio.run(self._serve_stdio)

    async def _serve_stdio(self) -> None:
        async for message in read_messages():
            answer = await self._handle(message)
            if answer is not None:
                await write_message(answer)

    async def _handle(self, message: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        try:
            request = types.JSONRPCRequest.parse_obj(message)
        except ValidationError:
            return {"jsonrpc": "2.0", "id": message.get("id"), "error": {"code": types.INVALID_REQUEST, "message": "not a request"}}
        if request.id is None:  # a notification: nothing to answer
            return None
        try:
            result = await self._dispatch(request)
        except types.McpError as error:
            return {"jsonrpc": "2.0", "id": request.id, "error": error.error.dict()}
        return {"jsonrpc": "2.0", "id": request.id, "result": result}

    async def _dispatch(self, request: types.JSONRPCRequest) -> Dict[str, Any]:
        if request.method == "initialize":
            info = types.Implementation(name=self.name, version=self.version)
            answer: Dict[str, Any] = {
                "protocolVersion": request.params.get("protocolVersion", types.LATEST_PROTOCOL_VERSION),
                "capabilities": {"tools": {"listChanged": False}},
                "serverInfo": info.dict(),
            }
            if self.instructions:
                answer["instructions"] = self.instructions
            return answer
        if request.method == "ping":
            return {}
        if request.method == "tools/list":
            return {"tools": [tool.dict(exclude_none=True) for tool in self.list_tools()]}
        if request.method == "tools/call":
            name = request.params.get("name")
            arguments = request.params.get("arguments") or {}
            if not isinstance(name, str) or not isinstance(arguments, dict):
                raise types.McpError(types.INVALID_PARAMS, "tools/call needs a name and an arguments object")
            return (await self.call_tool(name, arguments)).dict()
        raise types.McpError(types.METHOD_NOT_FOUND, f"method {request.method!r} is not supported")


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
