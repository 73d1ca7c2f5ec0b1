"""Make mediapipe 0.10.21's Python solutions work with the hub's protobuf (7.x).

``mediapipe/python/solution_base.py`` reads ``FieldDescriptor.label`` when it sets the
options of a graph's calculators (pose, hands and face mesh do; selfie segmentation
does not).  protobuf 7 removed ``label`` from field descriptors in favour of
``is_repeated``, so building those graphs fails with ``AttributeError: ... has no
attribute 'label'``.  :func:`apply` gives every field-descriptor class that lacks it a
read-only ``label`` computed from ``is_repeated`` — the only thing mediapipe asks of it
(``label == LABEL_REPEATED``) — and leaves descriptors that still have one alone.
It is idempotent and must run before a graph is built (the loaders call it).

Also: mediapipe's bindings call ``MessageFactory.GetPrototype`` (removed in protobuf 5)
when they are imported and print an ``AttributeError`` on stderr; where it is missing it is
given as ``GetMessageClass``, its replacement, so :func:`apply` is best run before
``import mediapipe``.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_applied = False


def _descriptor_classes() -> list[type]:
    """The FieldDescriptor classes of every protobuf implementation that is importable."""
    from google.protobuf import descriptor

    classes: list[type] = [descriptor.FieldDescriptor]
    try:
        from google._upb import _message as upb_message  # the C implementation used by default

        classes.append(upb_message.FieldDescriptor)
    except ImportError:  # pure-Python or C++ protobuf: the public class is the one in use
        pass
    return classes


def _label_from_is_repeated(field: Any) -> int:
    from google.protobuf import descriptor

    kind = descriptor.FieldDescriptor
    if field.is_repeated:
        return kind.LABEL_REPEATED
    required = getattr(field, "is_required", False)
    return kind.LABEL_REQUIRED if required else kind.LABEL_OPTIONAL


def apply() -> bool:
    """Add ``label`` (from ``is_repeated``) to field descriptors that lack it; True if anything was patched."""
    global _applied
    with _lock:
        if _applied:
            return False
        patched = False
        for cls in _descriptor_classes():
            if "label" in dir(cls) or not hasattr(cls, "is_repeated"):
                continue  # an older protobuf still has label, or a descriptor we do not know
            cls.label = property(_label_from_is_repeated, doc="LABEL_* computed from is_repeated (hub shim)")
            patched = True
        from google.protobuf import message_factory

        if not hasattr(message_factory.MessageFactory, "GetPrototype") and hasattr(message_factory, "GetMessageClass"):
            message_factory.MessageFactory.GetPrototype = lambda self, descriptor: message_factory.GetMessageClass(descriptor)
            patched = True
        _applied = True
        return patched
