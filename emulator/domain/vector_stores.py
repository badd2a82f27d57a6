"""Vector stores, their files and file batches, with counts and statuses kept consistent.

Ingestion of a file finishes `ingestion_seconds` (config, default 0) after it was added, on
the emulator's clock; objects are settled whenever they are read, so `file_counts`,
`usage_bytes` and every `status` always agree with the files they describe.
"""

from __future__ import annotations

from typing import Any

from .. import activity, errors
from ..models import Deleted, ListPage, VectorStore, VectorStoreFile, VectorStoreFileBatch
from ..models.vector_store import FileCounts, StaticChunking, StaticChunkingStrategy
from ..pagination import ListQuery, paginate
from ..store import Table
from ..validation import validate
from .base import Service, updated
from .files import extension
from .ingestion import FILE_SEARCH_EXTENSIONS, ingest
from .tool_resources import ToolResourceResolver

DAY = 86_400
FILE_STATUSES = ("in_progress", "completed", "failed", "cancelled")


class VectorStores(Service):
    # --- vector stores ----------------------------------------------------------------

    def create(self, body: dict[str, Any], *, param: str | None = None) -> VectorStore:
        validate("CreateVectorStoreRequest", body, prefix=param or "")
        file_ids = body.get("file_ids") or []
        where = f"{param}." if param else ""
        if "chunking_strategy" in body and not file_ids:
            raise errors.bad_request(
                "chunking_strategy is only applicable if file_ids is non-empty", param=f"{where}chunking_strategy"
            )
        strategy = self._chunking(body.get("chunking_strategy"), f"{where}chunking_strategy")
        self._check_files(file_ids, f"{where}file_ids")
        now = self.now()
        store = VectorStore(
            id=self.new_id("vector_store"),
            created_at=now,
            name=body.get("name"),
            expires_after=body.get("expires_after"),
            last_active_at=now,
            metadata=body.get("metadata") or {},
        )
        self.ns.vector_stores.add(store.id, store)
        self.ns.vector_store_files[store.id] = Table()
        self.ns.file_batches[store.id] = Table()
        for fid in file_ids:
            self._attach(store.id, fid, strategy, {})
        return self._settle(store.id)

    def list(self, query: ListQuery) -> ListPage:
        self.backend.files.expire()
        page = paginate(self.ns.vector_stores, query)
        page.data = [self._settle(vs.id) for vs in page.data]
        return page

    def get(self, vector_store_id: str) -> VectorStore:
        self.backend.files.expire()
        self.find(self.ns.vector_stores, "vector_store", vector_store_id)
        return self._settle(vector_store_id)

    def update(self, vector_store_id: str, body: dict[str, Any]) -> VectorStore:
        current = self.get(vector_store_id)
        # `expires_after: null` removes the policy (the spec's `allOf [ref, nullable]`, which the
        # validator reads as "object required"), so it is checked without the null.
        validate("UpdateVectorStoreRequest", {k: v for k, v in body.items() if k != "expires_after" or v is not None})
        changes = {k: body[k] for k in ("name", "expires_after") if k in body}
        if "metadata" in body:
            changes["metadata"] = body["metadata"] or {}
        self.ns.vector_stores.replace(vector_store_id, updated(current, changes))
        return self._settle(vector_store_id)

    def delete(self, vector_store_id: str) -> Deleted:
        self.get(vector_store_id)
        self.ns.vector_stores.remove(vector_store_id)
        self.ns.vector_store_files.pop(vector_store_id, None)
        for batch in (self.ns.file_batches.pop(vector_store_id, None) or Table()).values():
            self.ns.batch_files.pop(batch.id, None)
        for key in [k for k in self.ns.ingestion_due if k[0] == vector_store_id]:
            del self.ns.ingestion_due[key]
        for key in [k for k in self.ns.chunks if k[0] == vector_store_id]:
            del self.ns.chunks[key]
        ToolResourceResolver(self.backend).forget_vector_store(vector_store_id)
        return Deleted(id=vector_store_id, object="vector_store.deleted")

    # --- files of a vector store ---------------------------------------------------------

    def add_file(self, vector_store_id: str, body: dict[str, Any]) -> VectorStoreFile:
        self.usable(vector_store_id)
        validate("CreateVectorStoreFileRequest", body)
        self._check_files([body["file_id"]], "file_id")
        strategy = self._chunking(body.get("chunking_strategy"), "chunking_strategy")
        vs_file = self._attach(vector_store_id, body["file_id"], strategy, body.get("attributes") or {})
        self._settle(vector_store_id)
        return self.ns.vector_store_files[vector_store_id].get(vs_file.id)

    def list_files(self, vector_store_id: str, query: ListQuery, *, status: str | None = None) -> ListPage:
        self.get(vector_store_id)
        self._check_filter(status)
        accept = (lambda f: f.status == status) if status else None
        return paginate(self.ns.vector_store_files[vector_store_id], query, accept)

    def get_file(self, vector_store_id: str, file_id: str) -> VectorStoreFile:
        self.get(vector_store_id)
        return self.find(
            self.ns.vector_store_files[vector_store_id], "vector_store_file", file_id, parent=vector_store_id
        )

    def update_file(self, vector_store_id: str, file_id: str, body: dict[str, Any]) -> VectorStoreFile:
        current = self.get_file(vector_store_id, file_id)
        validate("UpdateVectorStoreFileAttributesRequest", body)
        return self.ns.vector_store_files[vector_store_id].replace(
            file_id, updated(current, {"attributes": body["attributes"]})
        )

    def delete_file(self, vector_store_id: str, file_id: str) -> Deleted:
        self.get_file(vector_store_id, file_id)
        self._detach(vector_store_id, file_id)
        self._settle(vector_store_id)
        return Deleted(id=file_id, object="vector_store.file.deleted")

    def forget_file(self, file_id: str) -> None:
        """A deleted file leaves every vector store it was in."""
        for vs_id, files in self.ns.vector_store_files.items():
            if file_id in files:
                self._detach(vs_id, file_id)
                self._settle(vs_id)

    # --- file batches ---------------------------------------------------------------------

    def create_batch(self, vector_store_id: str, body: dict[str, Any]) -> VectorStoreFileBatch:
        self.usable(vector_store_id)
        validate("CreateVectorStoreFileBatchRequest", body)
        if "file_ids" in body and "files" in body:
            raise errors.bad_request("Only one of 'file_ids' or 'files' may be provided.", param="files")
        if "files" in body:
            entries = body["files"]
            for n, entry in enumerate(entries):
                self._check_files([entry["file_id"]], f"files[{n}].file_id")
        else:
            default = {k: body[k] for k in ("chunking_strategy", "attributes") if k in body}
            entries = [{"file_id": fid, **default} for fid in body["file_ids"]]
            self._check_files(body["file_ids"], "file_ids")
        plans = [
            (e["file_id"], self._chunking(e.get("chunking_strategy"), "chunking_strategy"), e.get("attributes") or {})
            for e in entries
        ]
        batch = VectorStoreFileBatch(
            id=self.new_id("file_batch"), created_at=self.now(), vector_store_id=vector_store_id
        )
        self.ns.file_batches[vector_store_id].add(batch.id, batch)
        self.ns.batch_files[batch.id] = []
        for fid, strategy, attributes in plans:
            self._attach(vector_store_id, fid, strategy, attributes)
            if fid not in self.ns.batch_files[batch.id]:
                self.ns.batch_files[batch.id].append(fid)
        self._settle(vector_store_id)
        return self.ns.file_batches[vector_store_id].get(batch.id)

    def get_batch(self, vector_store_id: str, batch_id: str) -> VectorStoreFileBatch:
        self.get(vector_store_id)
        return self.find(self.ns.file_batches[vector_store_id], "file_batch", batch_id)

    def cancel_batch(self, vector_store_id: str, batch_id: str) -> VectorStoreFileBatch:
        batch = self.get_batch(vector_store_id, batch_id)
        if batch.status == "completed":  # answered as it is, 200 (ruby-openai vector_store_file_batches_cancel.yml)
            return batch
        if batch.status != "in_progress":
            raise errors.bad_request(f"Cannot cancel a vector store file batch with status '{batch.status}'.")
        files = self.ns.vector_store_files[vector_store_id]
        for fid in self.ns.batch_files[batch_id]:
            vs_file = files.get(fid)
            if vs_file is not None and vs_file.status == "in_progress":
                files.replace(fid, updated(vs_file, {"status": "cancelled"}))
                self.ns.ingestion_due.pop((vector_store_id, fid), None)
        self.ns.file_batches[vector_store_id].replace(batch_id, updated(batch, {"status": "cancelled"}))
        self._settle(vector_store_id)
        return self.ns.file_batches[vector_store_id].get(batch_id)

    def list_batch_files(
        self, vector_store_id: str, batch_id: str, query: ListQuery, *, status: str | None = None
    ) -> ListPage:
        self.get_batch(vector_store_id, batch_id)
        self._check_filter(status)
        members = set(self.ns.batch_files[batch_id])

        def accept(f: VectorStoreFile) -> bool:
            return f.id in members and (status is None or f.status == status)

        return paginate(self.ns.vector_store_files[vector_store_id], query, accept)

    # --- internals ------------------------------------------------------------------------

    def usable(self, vector_store_id: str, *, param: str | None = None) -> VectorStore:
        """A store files can be added to or searched: it exists and has not expired."""
        store = self.get(vector_store_id)
        if store.status == "expired":
            raise errors.bad_request(f"Vector store '{vector_store_id}' has expired", param=param)
        return store

    def _check_files(self, file_ids: list[str], param: str) -> None:
        """Each file exists, and has a type file_search reads: the service refuses the others at once
        (400 `unsupported_file`, as quoted from api.openai.com in stdapi-ai/stdapi.ai#275, 2026);
        a file with no extension is accepted and fails in ingestion (unconfirmed)."""
        refused = []
        for n, fid in enumerate(file_ids):
            file = self.backend.files.require(fid, param if param.endswith("file_id") else f"{param}[{n}]")
            ext = extension(file.filename)
            if ext and ext not in FILE_SEARCH_EXTENSIONS and f".{ext}" not in refused:
                refused.append(f".{ext}")
        if refused:
            raise errors.bad_request(
                f"Files with extensions [{', '.join(refused)}] are not supported for retrieval. "
                "See https://platform.openai.com/docs/assistants/tools/file-search/supported-files",
                param=param if param.endswith("file_ids") else "file_ids",
                code="unsupported_file",
            )

    @staticmethod
    def _check_filter(status: str | None) -> None:
        if status is not None and status not in FILE_STATUSES:
            raise errors.invalid_value("filter", status, list(FILE_STATUSES))

    @staticmethod
    def _chunking(raw: dict[str, Any] | None, param: str) -> StaticChunkingStrategy:
        """The strategy a file reports: `auto` is reported as static 800/400."""
        if not raw or raw.get("type") == "auto":
            return StaticChunkingStrategy()
        static = raw["static"]
        size, overlap = static["max_chunk_size_tokens"], static["chunk_overlap_tokens"]
        if overlap < 0:
            raise errors.invalid(
                f"{param}.static.chunk_overlap_tokens",
                f"integer below minimum value. Expected a value >= 0, but got {overlap} instead.",
                "integer_below_min_value",
            )
        if overlap > size // 2:
            raise errors.invalid(
                f"{param}.static.chunk_overlap_tokens",
                f"chunk_overlap_tokens ({overlap}) must not exceed half of max_chunk_size_tokens ({size}).",
                "invalid_value",
            )
        return StaticChunkingStrategy(static=StaticChunking(max_chunk_size_tokens=size, chunk_overlap_tokens=overlap))

    def _attach(
        self, vector_store_id: str, file_id: str, strategy: StaticChunkingStrategy, attributes: dict[str, Any]
    ) -> VectorStoreFile:
        files = self.ns.vector_store_files[vector_store_id]
        existing = files.get(file_id)
        if existing is not None:
            return existing
        now = self.now()
        vs_file = VectorStoreFile(
            id=file_id,
            created_at=now,
            vector_store_id=vector_store_id,
            chunking_strategy=strategy,
            attributes=attributes,
        )
        files.add(file_id, vs_file)
        self.ns.ingestion_due[(vector_store_id, file_id)] = now + self.emulator.config.ingestion_seconds
        store = self.ns.vector_stores.get(vector_store_id)
        self.ns.vector_stores.replace(vector_store_id, updated(store, {"last_active_at": now}))
        return vs_file

    def _detach(self, vector_store_id: str, file_id: str) -> None:
        self.ns.vector_store_files[vector_store_id].remove(file_id)
        self.ns.ingestion_due.pop((vector_store_id, file_id), None)
        self.ns.chunks.pop((vector_store_id, file_id), None)  # its chunks leave the index with it

    def _settle(self, vector_store_id: str) -> VectorStore:
        """Finish due ingestions, then recompute the store's and its batches' counts and statuses."""
        files = self.ns.vector_store_files[vector_store_id]
        now = self.now()
        due = [k for k, at in self.ns.ingestion_due.items() if k[0] == vector_store_id and at <= now]
        for key in due:
            del self.ns.ingestion_due[key]
            fid = key[1]
            static = files.get(fid).chunking_strategy.static
            with activity.work(f"file_search ingestion {vector_store_id} {fid}"):
                result = ingest(self.ns.files.get(fid).filename, self.ns.file_contents[fid],
                                static.max_chunk_size_tokens, static.chunk_overlap_tokens)  # fmt: skip
            self.ns.chunks[key] = result.chunks
            files.replace(
                fid,
                updated(
                    files.get(fid),
                    {"status": result.status, "usage_bytes": result.usage_bytes, "last_error": result.last_error},
                ),
            )
        counts = _count(files.values())
        store = self.ns.vector_stores.get(vector_store_id)
        changes: dict[str, Any] = {
            "file_counts": counts,
            "usage_bytes": sum(f.usage_bytes for f in files.values()),
            "status": "in_progress" if counts.in_progress else "completed",
        }
        if store.expires_after is not None:
            base = store.last_active_at or store.created_at
            changes["expires_at"] = base + store.expires_after.days * DAY
            if now >= changes["expires_at"]:
                changes["status"] = "expired"
        else:
            changes["expires_at"] = None
        store = self.ns.vector_stores.replace(vector_store_id, updated(store, changes))
        for batch in self.ns.file_batches[vector_store_id].values():
            members = [files.get(fid) for fid in self.ns.batch_files[batch.id]]
            batch_counts = _count(f for f in members if f is not None)
            status = batch.status
            if status != "cancelled":
                status = "in_progress" if batch_counts.in_progress else "completed"
            if batch_counts != batch.file_counts or status != batch.status:
                self.ns.file_batches[vector_store_id].replace(
                    batch.id, updated(batch, {"file_counts": batch_counts, "status": status})
                )
        return store


def _count(files: Any) -> FileCounts:
    counts = dict.fromkeys(FILE_STATUSES, 0)
    for f in files:
        counts[f.status] += 1
    return FileCounts(**counts, total=sum(counts.values()))
