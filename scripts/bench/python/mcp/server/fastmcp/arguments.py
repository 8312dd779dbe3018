"""A tool function's parameters as a pydantic model: the JSON Schema the client sees, and validation
of the arguments it sends."""

from __future__ import annotations

import inspect
from typing import Any, Callable, Dict, Type

from pydantic import BaseConfig, BaseModel, create_model


class _Config(BaseConfig):
    extra = "forbid"
    arbitrary_types_allowed = False


def arguments_model(fn: Callable[..., Any]) -> Type[BaseModel]:
    hints = inspect.get_annotations(fn, eval_str=True)
    fields: Dict[str, Any] = {}
    for parameter in inspect.signature(fn).parameters.values():
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            raise TypeError(f"tool {fn.__name__}: *args and **kwargs cannot be described to a client")
        annotation = hints.get(parameter.name, Any)
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[parameter.name] = (annotation, default)
    return create_model(f"{fn.__name__}Arguments", __config__=_Config, **fields)


def input_schema(model: Type[BaseModel]) -> Dict[str, Any]:
    schema = model.schema()
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
    return schema
