"""RWKV World tokens for the demo's TypeScript tools (examples/rwkv-demo/src/tokens/world.ts).

    python world_tokens.py info                     one JSON object: packages, vocabulary file, sha256
    python world_tokens.py encode  < texts.jsonl    a JSON string a line in; info, then {"ids", "decoded"} a line out
    python world_tokens.py decode  < ids.jsonl      a JSON list of ids a line in; the text out (bad UTF-8 -> U+FFFD)
    python world_tokens.py compare < texts.jsonl    the fast and the reference tokenizer side by side

The vocabulary is rwkv_vocab_v20230424.txt as the `rwkv` package ships it (the file RWKV-LM's
tokenizer reads). Encoding uses pyrwkv-tokenizer on that file; "decoded" is its decode of the ids,
or null when they do not decode to UTF-8, so the caller checks the round trip on the output itself.
`decode` joins the token bytes, parsed as the reference parses the file, and replaces what is not
UTF-8 (a sampled continuation may end inside a character). The end-of-document id 0 is
the caller's to append. A malformed input line ends the tool with exit 3 and the line number.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn, TextIO

VOCAB_NAME = "rwkv_vocab_v20230424.txt"
EXIT_DATA = 3


def vocab_path() -> Path:
    """The vocabulary file inside the installed rwkv package (found without importing rwkv.model)."""
    import rwkv  # rwkv/__init__.py is empty: importing the package does not import torch

    return Path(rwkv.__file__).parent / VOCAB_NAME


def load_vocab(path: Path) -> dict[int, bytes]:
    """Id -> token bytes: each line is `id literal length`, the literal a Python str or bytes, as the
    reference TRIE_TOKENIZER reads it (parsed here as one list literal: one parse, not 65,529)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    literals = ast.literal_eval("[" + ",".join(line[line.index(" ") : line.rindex(" ")] for line in lines) + "]")
    table: dict[int, bytes] = {}
    for line, token in zip(lines, literals):
        raw = token.encode("utf-8") if isinstance(token, str) else token
        if not isinstance(raw, bytes) or len(raw) != int(line[line.rindex(" ") :]):
            raise ValueError(f"{path}: the token of line {line[:40]!r} does not have its stated length")
        table[int(line[: line.index(" ")])] = raw
    return table


def info() -> dict[str, object]:
    path = vocab_path()
    raw = path.read_bytes()
    return {
        "name": "RWKV World",
        "vocab": VOCAB_NAME,
        "vocab_path": str(path),
        "vocab_sha256": hashlib.sha256(raw).hexdigest(),
        "vocab_entries": sum(1 for line in raw.splitlines() if line.strip()),
        "encoder": f"pyrwkv-tokenizer {metadata.version('pyrwkv-tokenizer')}",
        "reference": f"rwkv {metadata.version('rwkv')} (rwkv.rwkv_tokenizer.TRIE_TOKENIZER)",
        "python": ".".join(map(str, sys.version_info[:3])),
    }


def read_lines(stream: TextIO, kind: type) -> Iterator[object]:
    for number, line in enumerate(stream, 1):
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            fail(f"input line {number} is not JSON ({error})")
        if not isinstance(value, kind):
            fail(f"input line {number} is not a JSON {'string' if kind is str else 'list of ids'}")
        yield value


def fail(message: str) -> NoReturn:
    sys.stderr.write(f"world_tokens: error: {message}\n")
    sys.exit(EXIT_DATA)


def encodable(encoder: Callable[[str], list[int]], text: str, number: int) -> list[int]:
    try:
        return encoder(text)
    except UnicodeEncodeError as error:
        fail(f"input line {number} is not valid Unicode ({error.reason} at character {error.start})")


def fast_decode(fast: Any, ids: list[int]) -> str | None:
    """pyrwkv-tokenizer's decode, or None where it panics (a Rust panic is a BaseException)."""
    try:
        return str(fast.decode(ids))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - pyo3's PanicException derives from BaseException only
        return None


def encode(stream: TextIO, out: TextIO) -> None:
    import pyrwkv_tokenizer

    path = vocab_path()
    fast = pyrwkv_tokenizer.RWKVTokenizer(vocab_filepath=str(path))
    out.write(json.dumps(info()) + "\n")
    for number, text in enumerate(read_lines(stream, str), 1):
        assert isinstance(text, str)
        ids = encodable(fast.encode, text, number)
        out.write(json.dumps({"ids": ids, "decoded": fast_decode(fast, ids)}, ensure_ascii=False) + "\n")


def decode(stream: TextIO, out: TextIO) -> None:
    table = load_vocab(vocab_path())
    for ids in read_lines(stream, list):
        assert isinstance(ids, list)
        unknown = [i for i in ids if i not in table]
        if unknown:
            fail(f"id {unknown[0]} is not in {VOCAB_NAME}")
        out.write(
            json.dumps(b"".join(table[i] for i in ids).decode("utf-8", errors="replace"), ensure_ascii=False) + "\n"
        )


def compare(stream: TextIO, out: TextIO) -> None:
    import pyrwkv_tokenizer
    from rwkv.rwkv_tokenizer import TRIE_TOKENIZER

    path = vocab_path()
    fast = pyrwkv_tokenizer.RWKVTokenizer(vocab_filepath=str(path))
    reference = TRIE_TOKENIZER(str(path))
    for number, text in enumerate(read_lines(stream, str), 1):
        assert isinstance(text, str)
        a, b = encodable(fast.encode, text, number), encodable(reference.encode, text, number)
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        same = a == b
        out.write(
            json.dumps({"same": same, "fast": len(a), "reference": len(b), "first_difference": None if same else first})
            + "\n"
        )
    out.write(json.dumps({"torch_imported": "torch" in sys.modules}) + "\n")


def main(argv: list[str]) -> int:
    commands = {"encode": encode, "decode": decode, "compare": compare}
    if argv == ["info"]:
        print(json.dumps(info()))
        return 0
    if len(argv) != 1 or argv[0] not in commands:
        sys.stderr.write("usage: world_tokens.py info|encode|decode|compare (JSON lines on stdin)\n")
        return 2
    with (
        open(sys.stdin.fileno(), encoding="utf-8", errors="surrogateescape", closefd=False) as stdin,
        open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False) as stdout,
    ):
        commands[argv[0]](stdin, stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
