"""`FastMCP`: tools declared with a decorator, arguments checked against their type hints."""

from .server import FastMCP

__all__ = ["FastMCP"]
