"""Declared outputs and inputs checked on real files as `updraft run` checks them: globs, directories as
trees, FIFOs and devices refused, symlinks by target, and the local run's words for each."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from updraft_airflow.paths import input_problem, is_glob, output_problem


def test_a_glob_output_is_there_when_it_matches_files_and_missing_when_it_matches_none(tmp_path: Path) -> None:
    # GIVEN two CSV files, one of them hidden (the local run matches dot files too), and a directory ending .csv
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".a.csv").write_text("a\n")
    (tmp_path / "out" / "b.csv").write_text("b\n")
    (tmp_path / "dir.csv").mkdir()
    # THEN the glob that matches files is there; one that matches only a directory, or nothing, is missing
    assert output_problem(str(tmp_path), "out/*.csv") is None
    assert output_problem(str(tmp_path), "**/*.csv") is None
    assert output_problem(str(tmp_path), "*.csv") == "missing output: *.csv"
    assert output_problem(str(tmp_path), "none/*.csv") == "missing output: none/*.csv"
    assert is_glob("data/[ab].csv") and not is_glob("data/a.csv")


def test_a_fifo_or_device_output_is_refused_in_the_local_run_s_words(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.out")
    assert output_problem(str(tmp_path), "pipe.out") == (
        "missing output: pipe.out (a FIFO (named pipe), not a regular file or directory)"
    )
    assert output_problem("/", "dev/null") == (
        "missing output: dev/null (a character device, not a regular file or directory)"
    )


def test_a_directory_output_is_checked_as_a_tree(tmp_path: Path) -> None:
    # GIVEN a directory of regular files, a link inside it (hashed by its target, never followed)
    tree = tmp_path / "ckpt"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "w.bin").write_bytes(b"\0" * 10)
    (tree / "loop").symlink_to(".")
    (tree / "dangling").symlink_to("nowhere")
    assert output_problem(str(tmp_path), "ckpt") is None
    # WHEN a FIFO or a socket appears deep inside THEN the directory is refused
    os.mkfifo(tree / "sub" / "p")
    assert output_problem(str(tmp_path), "ckpt") == (
        "missing output: ckpt (a FIFO (named pipe), not a regular file or directory)"
    )
    os.remove(tree / "sub" / "p")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tree / "s.sock"))
        assert output_problem(str(tmp_path), "ckpt") == (
            "missing output: ckpt (a socket, not a regular file or directory)"
        )
    finally:
        server.close()


def test_a_declared_symlink_counts_by_its_target(tmp_path: Path) -> None:
    (tmp_path / "target.txt").write_text("x\n")
    (tmp_path / "link.txt").symlink_to("target.txt")
    (tmp_path / "dangling.txt").symlink_to("gone.txt")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "to-fifo").symlink_to("fifo")
    assert output_problem(str(tmp_path), "link.txt") is None
    assert output_problem(str(tmp_path), "dangling.txt") == "missing output: dangling.txt"
    assert output_problem(str(tmp_path), "to-fifo") == (
        "missing output: to-fifo (a FIFO (named pipe), not a regular file or directory)"
    )


def test_an_input_problem_names_the_stage_and_the_path(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "in.fifo")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("1\n")
    base = str(tmp_path)
    assert input_problem("train", base, "data/*.csv") is None
    assert input_problem("train", base, "data") is None
    assert input_problem("train", base, "data/x.csv") == (
        'stage "train": input data/x.csv does not exist (looked for %s/data/x.csv)' % base
    )
    assert input_problem("train", base, "in.fifo") == (
        'stage "train": input in.fifo: %s/in.fifo is a FIFO (named pipe), not a regular file or directory; '
        "updraft never reads it" % base
    )
