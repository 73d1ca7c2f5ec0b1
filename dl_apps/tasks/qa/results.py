"""The result types of the QA task and the protocol every reader follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from dl_apps.core import TaskResult


@dataclass
class Answer:
    """A span of the context: ``context[start:end] == text``."""

    text: str
    start: int
    end: int
    score: float
    kind: str = ""


@dataclass
class RetrievedSentence:
    """A sentence of the passage and how well it matches the question (the retrieval step)."""

    start: int
    end: int
    score: float


@dataclass
class QAResult(TaskResult):
    """The best answer (``answer``, ``start``, ``end``, ``score``), runner-ups and retrieval details."""

    answer: str = ""
    start: int = 0
    end: int = 0
    score: float = 0.0
    unsure: bool = False
    question_type: str = ""
    alternatives: list[Answer] = field(default_factory=list)
    retrieved: list[RetrievedSentence] = field(default_factory=list)
    context_chars: int = 0


class Reader(Protocol):
    """What every QA model object offers."""

    def answer(self, question: str, context: str, top_k: int = 4, **settings: Any) -> QAResult:
        """The best spans of ``context`` for ``question`` (``alternatives`` holds the runner-ups).

        ``settings`` are the reader's teaching knobs (``top_sentences``, ``max_answer_tokens``);
        a reader ignores the ones it does not have.
        """
        ...
