"""Atomic replacement of files and folder links, durable across a crash.

A reader sees either the previous version or the new one, never a mix: the new version
is written completely under a temporary name next to the old one, flushed to disk, and
then renamed over it (``rename(2)`` is atomic within a file system). A process that has
the old file open keeps reading the old inode.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename in this folder durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_file(staged: Path, target: Path) -> None:
    """Move a completely written file over target in one step."""
    fsync_file(staged)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)
    fsync_dir(target.parent)


def write_text_atomic(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    staged.write_text(text, encoding="utf-8")
    replace_file(staged, target)


def swap_link(link: Path, target: Path) -> None:
    """Point link at the folder target atomically: a new link beside it, renamed over it.

    The link stores target relative to the link's folder, so a data directory can move.
    """
    stored = os.path.relpath(target, link.parent)
    if link.is_symlink() and os.readlink(link) == stored:
        return
    if link.exists() and not link.is_symlink():
        raise RuntimeError(f"{link} should be a link made by chemsafe, not a real folder")
    staged = link.with_name(f".{link.name}.{os.getpid()}.link")
    if staged.is_symlink():
        staged.unlink()
    staged.symlink_to(stored, target_is_directory=True)
    os.replace(staged, link)
    fsync_dir(link.parent)


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on path (blocks while another process holds it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
