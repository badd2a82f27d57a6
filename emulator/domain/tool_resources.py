"""`tool_resources` of assistants and threads: file ids for code_interpreter, vector stores
for file_search (including the `vector_stores` helper that creates one)."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..models.common import CodeInterpreterResources, FileSearchResources, ToolResources
from .base import Service, updated

#: Stores made for a thread by its helpers expire 7 days after their last activity.
THREAD_STORE_EXPIRY = {"anchor": "last_active_at", "days": 7}


class ToolResourceResolver(Service):
    def resolve(
        self, raw: dict[str, Any] | None, *, current: ToolResources | None = None, for_thread: bool = False
    ) -> ToolResources:
        """Check every referenced object exists; create helper vector stores. Keys given replace
        the current ones, keys absent are kept (modify semantics)."""
        result = current.model_copy(deep=True) if current is not None else ToolResources()
        if not raw:
            return result
        assets: list[Any] = []  # copied into files once everything else is checked, so a refused request makes none
        ci = raw.get("code_interpreter")
        if ci is not None:
            file_ids = list(ci.get("file_ids") or [])
            for n, fid in enumerate(file_ids):
                self.backend.files.require(fid, f"tool_resources.code_interpreter.file_ids[{n}]")
            sources = ci.get("data_sources")  # Foundry only (validated on that shape): domain/assets.py
            if sources:
                # "mutually exclusive with the fileIds property" (azure-ai-agents CodeInterpreterToolResource)
                if file_ids:
                    raise errors.bad_request(
                        "'file_ids' and 'data_sources' are mutually exclusive: give one of them.",
                        param="tool_resources.code_interpreter",
                    )
                assets = self.backend.assets.lookup(sources, "tool_resources.code_interpreter.data_sources")
            result.code_interpreter = CodeInterpreterResources(file_ids=file_ids)
        fs = raw.get("file_search")
        if fs is not None:
            ids = list(fs.get("vector_store_ids") or [])
            for n, vid in enumerate(ids):
                param = f"tool_resources.file_search.vector_store_ids[{n}]"
                if vid not in self.ns.vector_stores:
                    raise errors.APIError(404, f"No vector store found with id '{vid}'.", param=param)
                self.backend.vector_stores.usable(vid, param=param)
            for n, helper in enumerate(fs.get("vector_stores") or []):
                body = {k: v for k, v in helper.items() if k in ("file_ids", "chunking_strategy", "metadata")}
                if for_thread:
                    body["expires_after"] = THREAD_STORE_EXPIRY
                store = self.backend.vector_stores.create(body, param=f"tool_resources.file_search.vector_stores[{n}]")
                ids.append(store.id)
            result.file_search = FileSearchResources(vector_store_ids=ids)
        if assets:
            ids = self.backend.assets.to_files(assets)
            result.code_interpreter = CodeInterpreterResources(file_ids=ids)
        for foundry_only in ("azure_ai_search", "mcp"):  # validated on the Foundry shape only; kept as given
            if raw.get(foundry_only) is not None:
                setattr(result, foundry_only, raw[foundry_only])
        return result

    def forget_vector_store(self, vector_store_id: str) -> None:
        """A deleted vector store leaves the `tool_resources` of every assistant and thread that
        named it (its file_search slot stays, emptied)."""
        for table in (self.ns.assistants, self.ns.threads):
            for obj in list(table.values()):
                fs = obj.tool_resources.file_search
                if fs is None or vector_store_id not in fs.vector_store_ids:
                    continue
                ids = [i for i in fs.vector_store_ids if i != vector_store_id]
                resources = obj.tool_resources.model_copy(
                    update={"file_search": FileSearchResources(vector_store_ids=ids)}
                )
                table.replace(obj.id, updated(obj, {"tool_resources": resources}))
