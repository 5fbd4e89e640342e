"""Resolve a device name once, at the entry point; nothing below reads a global device."""

from __future__ import annotations

import torch

__all__ = ["resolve_device"]


def resolve_device(name: str | torch.device | None = "auto") -> torch.device:
    """``auto``/``None``: CUDA when available, else the CPU. ``cuda`` without a GPU is an error."""
    if isinstance(name, torch.device):
        return name
    if name in (None, "", "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for, but no CUDA GPU is available")
    return device
