"""What happens when a response moves: it is played through the agent loop, its events are
numbered and heard, and a background response moves under its progression policy.

A response that is not background is played within its request: `in_progress`, then a
terminal status. A background one is created `queued` and moves as a run does, one
transition at a time when due (`immediate`, `reads:N`, `seconds:S`; see
`emulator/agent/progression.py`): queued -> in_progress -> played. Nothing here sleeps or
reads the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..agent import loop, progression
from ..models.response import Response
from ..store import Table
from . import state_machine
from .mcp_items import begin as begin_mcp
from .turn import ResponseTurn

if TYPE_CHECKING:
    from ..domain import Backend

Listener = Callable[[dict[str, Any]], None]


@dataclass
class ResponseState:
    """What the engine remembers about a response besides the response object."""

    policy: progression.Progression
    last_move_at: int
    #: What the model reads: the context (the conversation's or the chain's items), then the input.
    items: list[Any]
    chunking: Any = "words"
    #: The request's `include` values, and whether its deltas carry `obfuscation` padding.
    include: tuple[str, ...] = ()
    obfuscate: bool = True
    reads: int = 0
    #: A background response's events so far, by sequence number (its stream can be read again): the
    #: namespace's `response_events` table of it, so a data directory keeps them.
    events: Table | None = None
    listeners: list[Listener] = field(default_factory=list)
    #: Called with the response once it is over (a conversation appends its items).
    on_end: Callable[[Response], None] | None = None

    #: Events made so far (all of them are kept in `events` only for a background response).
    made: int = 0
    #: Whether the response is being played now: a tool (code in a container) lets the emulator's lock
    #: go meanwhile, and nothing else may move it then (a poll reads it as it is).
    playing: bool = False

    @property
    def keeps_events(self) -> bool:
        """A background response keeps its events: its stream can be read again."""
        return self.events is not None

    def sequence(self) -> int:
        """The sequence number of the next event."""
        return self.made

    @property
    def heard(self) -> bool:
        """Whether anyone will see the events (a stream, or a later read of a background one's): when not,
        the front end need not build them."""
        return self.keeps_events or bool(self.listeners)


class ResponseEngine:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.ns = backend.ns
        self.emulator = backend.emulator

    def new_id(self, kind: str) -> str:
        return self.emulator.ids.new(kind)

    def emit(self, state: ResponseState, kind: str, **fields: Any) -> None:
        number = state.made
        state.made += 1
        if not state.heard:  # nobody sees (nor keeps) the event: only its number counts
            return
        event = {"type": kind, "sequence_number": number, **fields}
        if state.events is not None:
            state.events.add(str(number), event)
        for listener in list(state.listeners):
            listener(event)

    def save(self, response: Response) -> Response:
        if response.id in self.ns.responses:
            self.ns.responses.replace(response.id, response)
        return response

    # --- moving ---------------------------------------------------------------------------

    def begin(self, response: Response, state: ResponseState) -> None:
        """The response's first events: created, then queued (a background one) or in_progress."""
        self.emit(state, "response.created", response=response)
        self.emit(
            state, "response.queued" if response.status == "queued" else "response.in_progress", response=response
        )

    def settle(self, response_id: str, *, read: bool = False, force: bool = False) -> Response:
        """Make the moves that are due (all of them with `force`)."""
        response = self.ns.responses.get(response_id)
        state = self.ns.response_states.get(response_id)
        if response is None or state is None or response.is_terminal() or state.playing:
            return response

        def move(response: Response, at: int) -> Response:
            return self._move(response, state, at)

        return progression.settle(state, response, now=self.emulator.clock.now(), over=Response.is_terminal,
                                  move=move, read=read, force=force)  # fmt: skip

    def _move(self, response: Response, state: ResponseState, at: int) -> Response:
        if response.status == "queued":
            started = self.save(state_machine.apply(response, "start", at))
            self.emit(state, "response.in_progress", response=started)
            return started
        return self.play(response, state, at)

    def play(self, response: Response, state: ResponseState, at: int) -> Response:
        """Play an in-progress response to its end through the agent loop."""
        turn = ResponseTurn(self, response, state, at)
        state.playing = True
        try:
            begin_mcp(turn)  # MCP servers listed, approved calls made, before the model is asked
            loop.play(self.emulator, turn)
        finally:
            state.playing = False
        if state.on_end is not None:
            state.on_end(turn.response)
        return turn.response

    def cancel(self, response: Response) -> Response:
        state = self.ns.response_states.get(response.id)
        cancelled = self.save(state_machine.apply(response, "cancel", self.emulator.clock.now()))
        if state is not None:
            self.emit(state, "response.cancelled", response=cancelled)
        return cancelled
