"""Data assets: the files a Foundry project holds apart from the Files API, named by an asset URI.

Foundry's `tool_resources.code_interpreter.data_sources` (azure-ai-agents' `VectorStoreDataSource`:
`{"uri": ..., "type": "uri_asset" | "id_asset"}`) names data assets of the project instead of file ids.
The service copies each into a file of its own and answers with that file's id in `file_ids`, the
`data_sources` not echoed (recorded: azure-ai-agents test_code_interpreter_tool.json, 2025-08-21:
an `azureai://accounts/.../data/<name>/versions/<v>` uri_asset became `file_ids: ["assistant-…"]`).

The emulator cannot fetch a real asset, so a test registers what the asset holds:
`Emulator.register_asset(uri, content, filename=...)` (or `POST /_emulator/assets`). Both asset types
look the identifier up among the registered ones; an unknown one is a 400 that says how to register it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import errors
from .base import Service

#: The id kind of a file made from an asset: `assistant-…`, as recorded.
ASSET_FILE_KIND = "azure_file"
#: An Azure ML / Foundry data asset URI: `.../data/<name>/versions/<version>`; the file is named after <name>.
_DATA_ASSET = re.compile(r"/data/([^/]+)/versions/[^/]+/?$")


@dataclass(frozen=True)
class Asset:
    """What a registered data asset holds."""

    uri: str
    filename: str
    content: bytes


def default_filename(uri: str) -> str:
    """The asset's name in a data-asset URI, else the URI's last path segment."""
    match = _DATA_ASSET.search(uri)
    if match:
        return match.group(1)
    return uri.rstrip("/").rsplit("/", 1)[-1] or uri


class Assets(Service):
    def register(self, uri: str, content: bytes | str, *, filename: str | None = None) -> Asset:
        """Register (or replace) the asset `uri`: what `data_sources` naming it turn into."""
        if not isinstance(uri, str) or not uri:
            raise errors.bad_request("An asset needs a non-empty 'uri'.", param="uri")
        if isinstance(content, str):
            content = content.encode("utf-8")
        if not isinstance(content, bytes | bytearray):
            raise errors.invalid_type("content", "bytes or a string", type(content).__name__)
        limit = self.emulator.config.max_upload_bytes
        if len(content) > limit:
            raise errors.too_large(len(content), limit, "content")
        if filename is not None and (not isinstance(filename, str) or not filename):
            raise errors.bad_request("An asset's 'filename' must be a non-empty string.", param="filename")
        asset = Asset(uri=uri, filename=filename or default_filename(uri), content=bytes(content))
        self.ns.assets[uri] = asset
        return asset

    def list(self) -> list[Asset]:
        return list(self.ns.assets.values())

    def remove(self, uri: str) -> bool:
        return self.ns.assets.pop(uri, None) is not None

    def lookup(self, sources: list[dict[str, Any]], param: str) -> list[Asset]:
        """The assets `data_sources` name (each `{uri, type}`, already validated); an unknown one is a 400."""
        assets = []
        for n, source in enumerate(sources):
            uri, kind = source["uri"], source["type"]
            asset = self.ns.assets.get(uri)
            if asset is None:
                raise errors.bad_request(
                    f"Data source '{uri}' ({kind}) could not be resolved: the emulator holds no such asset. "
                    "Register its content first: Emulator.register_asset(uri, content, filename=...), "
                    'or POST /_emulator/assets {"uri", "content", "filename"}.',
                    param=f"{param}[{n}]",
                )
            assets.append(asset)
        return assets

    def to_files(self, assets: list[Asset]) -> list[str]:
        """Each asset copied into a new `assistants` file, as the service does: their ids."""
        files = self.backend.files
        return [
            files.store(filename=a.filename, content=a.content, purpose="assistants", id_kind=ASSET_FILE_KIND).id
            for a in assets
        ]

    @staticmethod
    def describe(asset: Asset) -> dict[str, Any]:
        return {"uri": asset.uri, "filename": asset.filename, "bytes": len(asset.content)}
