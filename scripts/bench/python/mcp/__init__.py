"""A stand-in for the `mcp` package (the MCP Python SDK), written for dxt-audit's benchmark.

The SDK is on PyPI, which the benchmark machine cannot reach, and Debian bookworm does not package
it. This keeps the shape a server sees (`from mcp.server.fastmcp import FastMCP`, `@mcp.tool()`,
`mcp.run()`) and the dependencies the SDK really uses for it (pydantic for argument models, anyio
for stdio), so that a bundle built with it imports what a real one would. It speaks enough of the
protocol over stdio to list and call tools; nothing else.
"""

from .types import CallToolResult, TextContent, Tool

__all__ = ["CallToolResult", "TextContent", "Tool"]
