"""A response's `tools`: which the emulator plays on the Responses API, checked and echoed.

- `function`: echoed with `description` null when not given and `strict` true unless said.
- `file_search`: `vector_store_ids` (each an existing store), `max_num_results` (1 to 50; 20
  when not given), `ranking_options` (`ranker`, `score_threshold` in [0, 1]) and `filters`
  (the attribute filters of the Vector Store search API, checked by the OpenAPI document),
  echoed with the service's defaults filled in (`models/tool_items.py`).
- `mcp`: see `mcp_items.py`.

- `code_interpreter`: its container, a container's id or `{"type": "auto", ...}` (`code_items.py`).

- `web_search` / `web_search_preview`, and the tools the emulator cannot play (computer use, image
  generation, shells, apply_patch, custom): `web_items.py`.

- Foundry's tools (`bing_grounding`, `openapi`, ...), which only the Responses API of a project takes:
  `foundry_items.py`.

Other hosted tools are refused with a 400 naming them until the emulator plays them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import errors
from ..agent import search
from ..models.response import FunctionToolEcho
from ..models.tool_items import FileSearchCallItem, FileSearchRanking, FileSearchToolEcho
from . import code_items, foundry_items, mcp_items, web_items

if TYPE_CHECKING:
    from ..domain import Backend
    from ..models.response import Response

PLAYED = ("function", "file_search", "mcp", "code_interpreter", "web_search", "web_search_preview")
#: The service's limits on file_search's `max_num_results`.
MAX_RESULTS = (1, 50)


def parse(raw: Any, backend: Backend) -> list[Any]:
    """The request's `tools` as the response echoes them (or the 400 the service answers)."""
    parsed = [_tool(t, f"tools[{n}]", backend) for n, t in enumerate(raw or [])]
    mcp_items.check_labels(parsed)
    return parsed


def _tool(raw: Any, param: str, backend: Backend) -> Any:
    if not isinstance(raw, dict):
        raise errors.invalid_type(param, "an object", type(raw).__name__)
    kind = raw.get("type")
    if web_items.handles(kind):
        return web_items.echo(raw)
    if kind == "file_search":
        return _file_search(raw, param, backend)
    if kind == "mcp":
        return mcp_items.parse_tool(raw, param, backend)
    if kind == "code_interpreter":
        return code_items.parse_tool(raw, param, backend)
    if foundry_items.handles(kind):  # only a project's dialect lets them through the request's schema
        return foundry_items.parse_tool(raw, param)
    if kind != "function":
        raise errors.bad_request(
            f"Tool type '{kind}' is not supported by the emulator on the Responses API yet; "
            f"{', '.join(PLAYED)} tools are (and the tools only scripts play: {', '.join(web_items.UNPLAYABLE)}).",
            param=f"{param}.type",
        )
    if not isinstance(raw.get("name"), str):
        raise errors.missing_parameter(f"{param}.name")
    echoed = {k: raw[k] for k in ("description", "name", "parameters", "strict") if k in raw}
    if not echoed.get("description"):  # an empty description is echoed as null (pydantic-ai test_native_output.yaml)
        echoed["description"] = None
    return FunctionToolEcho(**echoed)


def _file_search(raw: dict[str, Any], param: str, backend: Backend) -> FileSearchToolEcho:
    ids = raw.get("vector_store_ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise errors.invalid_type(f"{param}.vector_store_ids", "an array of strings", type(ids).__name__)
    for vs_id in ids:
        if vs_id not in backend.ns.vector_stores:
            raise errors.bad_request(f"Vector store with id '{vs_id}' not found.", param=f"{param}.vector_store_ids")
    limit = raw.get("max_num_results")
    low, high = MAX_RESULTS
    if limit is not None and limit < low:
        raise errors.invalid(f"{param}.max_num_results", f"integer below minimum value. Expected a value >= {low}, "
                             f"but got {limit} instead.", "integer_below_min_value")  # fmt: skip
    if limit is not None and limit > high:
        raise errors.invalid(f"{param}.max_num_results", f"integer above maximum value. Expected a value <= {high}, "
                             f"but got {limit} instead.", "integer_above_max_value")  # fmt: skip
    ranking = raw.get("ranking_options") or {}
    return FileSearchToolEcho(
        filters=raw.get("filters"),
        max_num_results=limit if limit is not None else 20,
        ranking_options=FileSearchRanking(
            ranker=ranking.get("ranker") or "auto", score_threshold=ranking.get("score_threshold") or 0.0
        ),  # fmt: skip
        vector_store_ids=list(ids),
    )


def file_search_tool(response: Response) -> FileSearchToolEcho | None:
    return next((t for t in response.tools if isinstance(t, FileSearchToolEcho)), None)


def file_search_settings(tool: FileSearchToolEcho) -> search.Settings:
    return search.Settings(tool.max_num_results, score_threshold=tool.ranking_options.score_threshold,
                           filters=tool.filters)  # fmt: skip


def vector_stores(backend: Backend, response: Response) -> list[str]:
    """The stores the response's file_search can search (existing, not expired)."""
    tool = file_search_tool(response)
    return search.usable_stores(backend, tool.vector_store_ids) if tool is not None else []


def shown_item(item: Any, include: Any) -> Any:
    """An output item as an answer that asked for `include` shows it: a file_search call's results only
    when asked (`file_search_call.results`), null otherwise (a code_interpreter call's outputs likewise)."""
    if isinstance(item, FileSearchCallItem) and item.results is not None and "file_search_call.results" not in include:
        return item.model_copy(update={"results": None})
    return code_items.shown_item(item, include)


def shown(response: Response, include: Any) -> Response:
    """The response as an answer (or a stream event) that asked for `include` shows it."""
    output = [shown_item(i, include) for i in response.output]
    if all(a is b for a, b in zip(output, response.output, strict=True)):
        return response
    return response.model_copy(update={"output": output})
