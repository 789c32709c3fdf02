"""Checkpoints: one file holds a model's kind, config, weights and metadata.

Saved atomically (temp file + rename, so a crash never leaves half a file under the real name) and
loaded with torch.load(weights_only=True), so opening a file never runs code from it. Every way a file
can be wrong, its metadata included (checkpoint_meta.py), raises CheckpointError with a message fit for a user.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import platform
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from rnn_core.checkpoint_meta import CheckpointMetadata, MetadataError
from rnn_core.errors import EngineError, EngineMessage
from rnn_core.model_kinds import MODEL_KINDS, kind_of
from rnn_core.seeding import process_generator

FORMAT = "rnn-playground-checkpoint/1"


class CheckpointError(EngineError):
    """A checkpoint is missing, truncated, corrupt, foreign or does not fit its model."""


@dataclass
class Checkpoint:
    kind: str  # a key of MODEL_KINDS
    model: nn.Module  # in eval mode, on the CPU
    metadata: CheckpointMetadata  # labels, vocabulary, metrics, data digest, versions, date ...


def weights_digest(model: nn.Module) -> str:
    """sha256 over the weights: shows whether a model was changed."""
    sha = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        sha.update(name.encode() + tensor.detach().cpu().contiguous().numpy().tobytes())
    return sha.hexdigest()


def half_precision_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """The state_dict with floating-point tensors stored as float16 (half the bytes).

    load_state_dict copies them into the model's float32 tensors, so a loaded model computes in float32
    with weights rounded to float16.
    """
    return {k: v.detach().cpu().half() if v.is_floating_point() else v.detach().cpu()
            for k, v in model.state_dict().items()}


def checkpoint_bytes(model: nn.Module, metadata: CheckpointMetadata, half_precision: bool = False) -> bytes:
    """The checkpoint file's contents, for saving or for a download button."""
    state = (half_precision_state(model) if half_precision
             else {k: v.detach().cpu() for k, v in model.state_dict().items()})
    stamped = dataclasses.replace(
        metadata, saved_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        versions={"torch": str(torch.__version__), "python": platform.python_version()})
    payload = {
        "format": FORMAT,
        "kind": kind_of(model),
        "config": dataclasses.asdict(model.config),
        "state_dict": state,
        "metadata": stamped.to_dict(),
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


def save_checkpoint(path: str | os.PathLike, model: nn.Module, metadata: CheckpointMetadata,
                    half_precision: bool = False) -> Path:
    """Write atomically: to a temp file in the same folder, then rename over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = checkpoint_bytes(model, metadata, half_precision)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes files private; a checkpoint is an ordinary file
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def load_checkpoint(source: str | os.PathLike | bytes, expected_kind: str | None = None) -> Checkpoint:
    """Load a checkpoint from a path or from bytes (an upload). Raises CheckpointError when it is wrong."""
    name = EngineMessage("checkpoint.uploaded_file") if isinstance(source, bytes) else str(source)
    if not isinstance(source, bytes) and not Path(source).is_file():
        raise CheckpointError("checkpoint.missing", name=name)
    try:
        payload = torch.load(io.BytesIO(source) if isinstance(source, bytes) else source,
                             map_location="cpu", weights_only=True)
    except Exception as error:  # truncated, corrupt, or holding objects weights_only refuses
        raise CheckpointError("checkpoint.unreadable", name=name) from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError("checkpoint.foreign", name=name)
    kind = payload.get("kind")
    if kind not in MODEL_KINDS:
        raise CheckpointError("checkpoint.unknown_kind", name=name, kind=repr(kind))
    if expected_kind is not None and kind != expected_kind:
        raise CheckpointError("checkpoint.wrong_kind", name=name, kind=kind, expected=expected_kind)
    entry = MODEL_KINDS[kind]
    try:
        with process_generator():  # building draws a default init from the shared generator
            model = entry.model_type(entry.config_type(**payload["config"]))
        model.load_state_dict(payload["state_dict"])
    except Exception as error:  # config fields or tensor shapes that do not fit the model
        raise CheckpointError("checkpoint.misfit", name=name, kind=kind) from error
    try:
        metadata = CheckpointMetadata.from_dict(payload.get("metadata") or {}, kind)
        if entry.vocab_type and len(entry.vocab_type(metadata.vocab)) != model.config.vocab_size:
            raise MetadataError("metadata.vocab")
    except MetadataError as error:
        raise CheckpointError("checkpoint.bad_metadata", name=name, reason=error) from error
    return Checkpoint(kind, model.eval(), metadata)
