"""Files: multipart upload, list, retrieve, delete, download.

The real service's upload rules: `purpose` is one of the uploadable purposes; `assistants`
files must have one of the extensions in `ASSISTANTS_EXTENSIONS`; `batch` files must be
`.jsonl`; `vision` files must be images; `fine-tune` files may have any name (recorded:
ruby-openai files_upload_stringio.yml, `local.path` accepted). `bytes` is the exact upload size.
Files of purpose `assistants` and `user_data` cannot be downloaded; generated
`assistants_output` files can.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from typing import Any

from .. import errors, wire
from ..models import File, ListPage
from ..models.file import FileDeleted
from ..pagination import ListQuery, paginate
from .base import Service

UPLOAD_PURPOSES = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"]
#: The extensions the real service accepts for purpose `assistants`: the list its refusal names
#: (`Invalid extension vb. Supported formats: ...`, quoted in openai/openai-dotnet#270, 2024-10).
ASSISTANTS_EXTENSIONS = sorted(
    "c cpp css csv docx gif go html java jpeg jpg js json md pdf php pkl png pptx py rb tar tex ts txt webp xlsx xml "
    "zip".split()
)
VISION_EXTENSIONS = ["gif", "jpeg", "jpg", "png", "webp"]
NOT_DOWNLOADABLE = {"assistants", "user_data"}
#: Content types that must not depend on the machine's mimetypes database.
CONTENT_TYPES = {
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
    "jsonl": "application/jsonl", "json": "application/json", "csv": "text/csv", "txt": "text/plain",
    "md": "text/markdown", "pdf": "application/pdf", "html": "text/html",
}  # fmt: skip
#: The id kind of a file made through a shape (`ids.PREFIXES`): Azure OpenAI's are `assistant-…` (recorded:
#: azure-openai CanCreateGetAndDeleteVectorStores.json, FileSearch(%gpt-4o-mini%).json); the others `file-…`.
FILE_ID_KINDS = {"azure": "azure_file"}
#: Files list: its own limits (api.md §1).
FILES_MAX_LIMIT = 10_000
EXPIRY_SECONDS_RANGE = (3600, 2_592_000)


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[1].lower() if "." in filename else ""


class Files(Service):
    def create(
        self, *, filename: str | None, content: bytes | None, purpose: str | None, form: Mapping[str, Any] | None = None
    ) -> File:
        """Upload a file (the multipart form already taken apart by the caller)."""
        form = form or {}
        if content is None or filename is None:
            raise errors.missing_parameter("file")
        limit = self.emulator.config.max_upload_bytes
        if len(content) > limit:
            raise errors.too_large(len(content), limit, "file")
        if purpose is None:
            raise errors.missing_parameter("purpose")
        if purpose not in UPLOAD_PURPOSES:
            raise errors.invalid_value("purpose", purpose, UPLOAD_PURPOSES)
        unknown = [k for k in form if k not in ("purpose", "expires_after[anchor]", "expires_after[seconds]")]
        if unknown:
            raise errors.unknown_parameter(unknown[0])
        ext = extension(filename)
        if purpose == "assistants" and ext not in ASSISTANTS_EXTENSIONS:
            raise errors.unsupported_extension(ext, ASSISTANTS_EXTENSIONS)
        if purpose == "vision" and ext not in VISION_EXTENSIONS:
            raise errors.unsupported_extension(ext, VISION_EXTENSIONS)
        if purpose == "batch" and ext != "jsonl":
            raise errors.bad_request("Invalid file format for Batch API. Must be .jsonl")
        created = self.now()
        expires_at = self._expiry(form, created)
        return self.store(
            filename=filename, content=content, purpose=purpose, created_at=created, expires_at=expires_at
        )

    def store(
        self,
        *,
        filename: str,
        content: bytes,
        purpose: str,
        created_at: int | None = None,
        expires_at: int | None = None,
        id_kind: str | None = None,
    ) -> File:
        """Keep a file; also how the service itself makes files (e.g. `assistants_output`). `id_kind`:
        its id's kind (`ids.PREFIXES`), if not the shape's."""
        file = File(
            id=self.new_id(id_kind or FILE_ID_KINDS.get(wire.shape(), "file")),
            bytes=len(content),
            created_at=self.now() if created_at is None else created_at,
            expires_at=expires_at,
            filename=filename,
            purpose=purpose,
        )
        self.ns.files.add(file.id, file)
        self.ns.file_contents[file.id] = bytes(content)
        if expires_at is not None:
            self.ns.file_expiry[file.id] = expires_at
        return file

    @staticmethod
    def _expiry(form: Mapping[str, Any], created: int) -> int | None:
        anchor = form.get("expires_after[anchor]")
        seconds = form.get("expires_after[seconds]")
        if anchor is None and seconds is None:
            return None
        if anchor is None:
            raise errors.missing_parameter("expires_after.anchor")
        if anchor != "created_at":
            raise errors.invalid_value("expires_after.anchor", anchor, ["created_at"])
        if seconds is None:
            raise errors.missing_parameter("expires_after.seconds")
        try:
            n = int(seconds)
        except (TypeError, ValueError):
            raise errors.invalid_type("expires_after.seconds", "an integer", "a string") from None
        low, high = EXPIRY_SECONDS_RANGE
        if n < low:
            raise errors.invalid(
                "expires_after.seconds",
                f"integer below minimum value. Expected a value >= {low}, but got {n} instead.",
                "integer_below_min_value",
            )
        if n > high:
            raise errors.invalid(
                "expires_after.seconds",
                f"integer above maximum value. Expected a value <= {high}, but got {n} instead.",
                "integer_above_max_value",
            )
        return created + n

    def list(self, query: ListQuery, *, purpose: str | None = None) -> ListPage:
        self.expire()
        accept = (lambda f: f.purpose == purpose) if purpose else None
        return paginate(self.ns.files, query, accept)

    def get(self, file_id: str) -> File:
        self.expire()
        return self.find(self.ns.files, "file", file_id)

    def content(self, file_id: str) -> tuple[File, bytes, str]:
        """The bytes of a file and their content type."""
        file = self.get(file_id)
        if file.purpose in NOT_DOWNLOADABLE:
            raise errors.download_not_allowed(file.purpose)
        mime = CONTENT_TYPES.get(extension(file.filename)) or mimetypes.guess_type(file.filename)[0]
        mime = mime or "application/octet-stream"
        return file, self.ns.file_contents[file_id], mime

    def delete(self, file_id: str) -> FileDeleted:
        self.get(file_id)
        self._remove(file_id)
        return FileDeleted(id=file_id)

    def require(self, file_id: str, param: str) -> File:
        """A file a request refers to (in a body, at `param`); 404 if it does not exist (or expired)."""
        self.expire()
        file = self.ns.files.get(file_id)
        if file is None:
            raise errors.APIError(404, f"No such File object: {file_id}", param=param)
        return file

    def expire(self) -> None:
        """Files past their `expires_at` are gone, as on the real service (and so leave their
        vector stores). Called before any read that could see an expired file."""
        if not self.ns.file_expiry:
            return
        now = self.now()
        for fid, at in list(self.ns.file_expiry.items()):
            if at <= now:
                self._remove(fid)

    def _remove(self, file_id: str) -> None:
        self.ns.files.remove(file_id)
        self.ns.file_contents.pop(file_id, None)
        self.ns.file_expiry.pop(file_id, None)
        self.backend.vector_stores.forget_file(file_id)
