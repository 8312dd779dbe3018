"""Server side of the stand-in SDK: `mcp.server.fastmcp` and the stdio transport."""
