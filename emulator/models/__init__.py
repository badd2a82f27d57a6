"""Pydantic models of every wire object: each class is the documentation of its shape."""

from .assistant import Assistant
from .common import Deleted, ListPage, ToolResources
from .file import File
from .message import Message
from .model import Model
from .thread import Thread
from .vector_store import VectorStore, VectorStoreFile, VectorStoreFileBatch

__all__ = [
    "Assistant",
    "Deleted",
    "File",
    "ListPage",
    "Message",
    "Model",
    "Thread",
    "ToolResources",
    "VectorStore",
    "VectorStoreFile",
    "VectorStoreFileBatch",
]
