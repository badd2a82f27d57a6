"""Shapes shared by several API objects: tools, tool resources, lists, deleted answers."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, WrapSerializer, field_validator, model_serializer

from .. import wire

Metadata = dict[str, str]


class APIModel(BaseModel):
    """Base of every wire object: fields serialise in declaration order, nulls included."""

    model_config = ConfigDict(extra="forbid")

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


_set = object.__setattr__
M = TypeVar("M", bound=BaseModel)


def changed(model: M, update: dict[str, Any]) -> M:
    """`model.model_copy(update=update)` (a shallow copy, `update` not validated) at a third of its cost, for the
    run engine's hot paths (a run or a step changes several times a turn): one dict for the fields, none of
    `copy.copy`'s dispatch. Models with extra fields or private attributes take pydantic's own path."""
    if model.__pydantic_extra__ is not None or getattr(model, "__pydantic_private__", None) is not None:
        return model.model_copy(update=update)
    cls = type(model)
    new = cls.__new__(cls)
    _set(new, "__dict__", {**model.__dict__, **update})
    _set(new, "__pydantic_extra__", None)
    fields_set = set(model.__pydantic_fields_set__)
    fields_set.update(update)
    _set(new, "__pydantic_fields_set__", fields_set)
    _set(new, "__pydantic_private__", None)
    return new


class Sparse(APIModel):
    """A nested shape whose absent optional keys are omitted rather than sent as null: every field that may be None
    gets pydantic's own `exclude_if` when the class is made (no Python serializer wrapping the whole object).
    Stream events (`wire.READER`'s stream flag) write the fields of `STREAM_DEFAULTS` even when unset, as their
    empty model (a serializer on those fields only)."""

    #: field -> the model stream events show, empty, when the field is unset
    STREAM_DEFAULTS: ClassVar[dict[str, type[BaseModel]]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        nullable = [(n, f) for n, f in cls.model_fields.items() if f.exclude_if is None and _may_be_none(f.annotation)]
        for name, field in nullable:
            default = cls.STREAM_DEFAULTS.get(name)
            if default is None:
                field.exclude_if = _is_none
            else:
                field.exclude_if = _none_outside_streams
                field.metadata.append(WrapSerializer(_empty_when_none(default)))
        if nullable:
            cls.model_rebuild(force=True)

    def in_stream_form(self) -> Any:
        """A copy as stream events show it: the `STREAM_DEFAULTS` fields set (empty) where unset."""
        unset = {k: model() for k, model in self.STREAM_DEFAULTS.items() if getattr(self, k) is None}
        return self.model_copy(update=unset) if unset else self


def _may_be_none(annotation: Any) -> bool:
    return annotation is Any or annotation is None or type(None) in get_args(annotation)


def _is_none(value: Any) -> bool:
    return value is None


def _none_outside_streams(value: Any) -> bool:
    return value is None and not wire.READER.get()[1]


def _empty_when_none(model: type[BaseModel]) -> Any:
    def serialize(value: Any, handler: Any) -> Any:
        return model().model_dump(mode="json") if value is None else handler(value)

    return serialize


class Shaped(APIModel):
    """An object some of whose fields only some readers get (`emulator/wire.py` says who reads
    it now, and which recordings show each case). The fields are left out by pydantic's own
    `exclude_if`, set on them when the class is made: no Python-level serializer on the hot path."""

    #: field -> the shapes whose answers carry it
    ONLY_ON: ClassVar[dict[str, frozenset[str]]] = {}
    #: fields that stream events carry and REST answers do not
    STREAM_ONLY: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for name, shapes in cls.ONLY_ON.items():
            cls.model_fields[name].exclude_if = _either(cls.model_fields[name].exclude_if, _not_read_on(shapes))
        for name in cls.STREAM_ONLY:
            cls.model_fields[name].exclude_if = _either(cls.model_fields[name].exclude_if, _not_streaming)
        if cls.ONLY_ON or cls.STREAM_ONLY:
            cls.model_rebuild(force=True)


def _either(own: Any, shaped: Any) -> Any:
    """A field's own `exclude_if` (absent when null, say) and its shape's, either one leaving it out."""
    if own is None:
        return shaped
    return lambda value: own(value) or shaped(value)


def _not_read_on(shapes: frozenset[str]) -> Any:
    return lambda _value: wire.READER.get()[0] not in shapes


def _not_streaming(_value: Any) -> bool:
    return not wire.READER.get()[1]


class Reordered(Shaped):
    """A `Shaped` object whose key order differs between shapes (a small, rare object: its
    serializer runs in Python)."""

    #: shape -> the order of the keys its answers put first (the declaration order otherwise)
    KEY_ORDER: ClassVar[dict[str, tuple[str, ...]]] = {}

    @model_serializer(mode="wrap")
    def _in_reader_order(self, handler: Any) -> Any:
        data = handler(self)
        order = self.KEY_ORDER.get(wire.READER.get()[0])
        return {**{k: data[k] for k in order if k in data}, **data} if order else data


#: The field is OpenAI's only (see `Shaped.ONLY_ON`).
OPENAI_ONLY = frozenset({"openai"})
FOUNDRY_ONLY = frozenset({"foundry"})


# --- tools ------------------------------------------------------------------------


#: What a function without `parameters` is echoed with (recorded: azure-openai
#: AssistantTests/StreamingToolCall.json, 2025-01).
EMPTY_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}}


class FunctionDefinition(Sparse):
    """As the service echoes it: `parameters` and `strict` always present (recorded:
    StreamingToolCall.json, azure-ai-agents test_submit_tool_outputs_to_run.json, 2025)."""

    name: str
    description: str | None = None
    parameters: dict[str, Any] = Field(default_factory=lambda: dict(EMPTY_PARAMETERS))
    strict: bool = False

    @field_validator("strict", mode="before")
    @classmethod
    def _strict_null(cls, value: Any) -> Any:
        """`strict: null` (which the spec allows) is echoed as the default, false."""
        return False if value is None else value

    @field_validator("parameters", mode="before")
    @classmethod
    def _parameters_null(cls, value: Any) -> Any:
        return dict(EMPTY_PARAMETERS) if value is None else value


class FunctionTool(APIModel):
    type: Literal["function"] = "function"
    function: FunctionDefinition


class CodeInterpreterTool(APIModel):
    type: Literal["code_interpreter"] = "code_interpreter"


class RankingOptions(APIModel):
    """A file_search step's ranking options (`default_2024_08_21` is what real steps show when
    none was asked for: a recorded stream quoted in sashirestela/simple-openai#300, 2025-03)."""

    ranker: Literal["auto", "default_2024_08_21"] = "default_2024_08_21"
    score_threshold: float = 0.0


class HybridSearch(APIModel):
    """Weights of reciprocal rank fusion (both required, as the SDKs type them)."""

    embedding_weight: float
    text_weight: float


class ToolRankingOptions(Sparse):
    """A file_search tool's ranking options: the step's, plus `hybrid_search` when given."""

    ranker: Literal["auto", "default_2024_08_21"] = "default_2024_08_21"
    score_threshold: float = 0.0
    hybrid_search: HybridSearch | None = None


class FileSearchSettings(Sparse):
    max_num_results: int | None = None
    ranking_options: ToolRankingOptions | None = None


class FileSearchTool(APIModel):
    type: Literal["file_search"] = "file_search"
    file_search: FileSearchSettings = Field(
        default_factory=lambda: FileSearchSettings(ranking_options=ToolRankingOptions())
    )


class AzureTool(APIModel):
    """A Foundry tool (`bing_grounding`, `openapi`, `connected_agent`, ...): stored as given
    (`emulator/foundry.py` lists the types and validates their shape)."""

    model_config = ConfigDict(extra="allow")
    type: Literal[
        "azure_ai_search", "azure_function", "bing_grounding", "bing_custom_search", "connected_agent", "openapi",
        "sharepoint_grounding", "fabric_dataagent", "deep_research", "browser_automation", "mcp",
    ]  # fmt: skip


Tool = Annotated[CodeInterpreterTool | FileSearchTool | FunctionTool | AzureTool, Field(discriminator="type")]


class FileSearchTypeOnly(APIModel):
    type: Literal["file_search"] = "file_search"


AttachmentTool = Annotated[CodeInterpreterTool | FileSearchTypeOnly, Field(discriminator="type")]


def build_tool(raw: dict[str, Any]) -> CodeInterpreterTool | FileSearchTool | FunctionTool | AzureTool:
    """A validated request tool as the real service echoes it (file_search gets its ranking defaults)."""
    kind = raw["type"]
    if kind not in ("code_interpreter", "file_search", "function"):
        return AzureTool(**raw)
    if kind == "code_interpreter":
        return CodeInterpreterTool()
    if kind == "file_search":
        settings = dict(raw.get("file_search") or {})
        settings.setdefault("ranking_options", {})
        settings["ranking_options"] = ToolRankingOptions(**settings["ranking_options"])
        return FileSearchTool(file_search=FileSearchSettings(**settings))
    return FunctionTool(function=FunctionDefinition(**raw["function"]))


# --- tool resources ----------------------------------------------------------------


class CodeInterpreterResources(APIModel):
    file_ids: list[str] = Field(default_factory=list)


class FileSearchResources(APIModel):
    vector_store_ids: list[str] = Field(default_factory=list)


class ToolResources(Sparse):
    """Stream events of threads and runs show an empty `code_interpreter: {file_ids: []}` slot
    even when none was set; REST answers do not, but for a thread's retrieve, which shows the
    stream form (recorded: ruby-openai threads_retrieve.yml, runs_streamed_create.yml;
    azure-openai StreamingToolCall.json; azure-ai-agents test_create_stream.json)."""

    STREAM_DEFAULTS: ClassVar[dict[str, type[BaseModel]]] = {"code_interpreter": CodeInterpreterResources}

    code_interpreter: CodeInterpreterResources | None = None
    file_search: FileSearchResources | None = None
    #: Foundry only: Azure AI Search indexes (`{"indexes": [...]}`) and MCP servers' settings, as given.
    azure_ai_search: dict[str, Any] | None = None
    mcp: list[dict[str, Any]] | None = None


# --- response formats ----------------------------------------------------------------


class JSONSchemaFormat(Sparse):
    name: str
    description: str | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: bool | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class ResponseFormatText(APIModel):
    type: Literal["text"] = "text"


class ResponseFormatJSONObject(APIModel):
    type: Literal["json_object"] = "json_object"


class ResponseFormatJSONSchema(APIModel):
    type: Literal["json_schema"] = "json_schema"
    json_schema: JSONSchemaFormat


ResponseFormat = (
    Literal["auto"]
    | Annotated[ResponseFormatText | ResponseFormatJSONObject | ResponseFormatJSONSchema, Field(discriminator="type")]
)


# --- envelopes ----------------------------------------------------------------------

T = TypeVar("T")


class ListPage(APIModel, Generic[T]):
    object: Literal["list"] = "list"
    data: list[T]
    first_id: str | None
    last_id: str | None
    has_more: bool


class Deleted(APIModel):
    id: str
    object: str
    deleted: bool = True
