"""A structural reader for HCL native syntax: blocks, attributes and line numbers, nothing more.

Why not `hcl2.load`: the conformance checks need to know, at every nesting level, whether a name was written
as a block (`rule { ... }`) or as an attribute (`rule = ...`), and on which line. python-hcl2's dict output
loses that distinction for object values (`tags = {a = "b"}` and `tags { a = "b" }` come out alike in the
versions checkov installs) and carries line numbers for top-level blocks only. In the test venv the `hcl2`
package is also shared with checkov's `bc-python-hcl2`, which installs over the same module name. So this
module reads the structure itself and treats every expression as opaque text: it only has to find where an
expression ends, which needs brackets, quoted strings with `${...}` templates, heredocs and comments.
Tests cross-check its output against `hcl2` on the fixtures.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_HEREDOC_START = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_SIMPLE_STRING = re.compile(r'"((?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{))*)"')
_CLOSERS = {"(": ")", "[": "]", "{": "}"}


class HCLSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Attribute:
    name: str
    line: int
    expression: str  # source text of the value, comments and surrounding blanks removed at the ends

    def string_literal(self) -> str | None:
        """The value when it is a plain quoted string without templates, else None."""
        match = _SIMPLE_STRING.fullmatch(self.expression)
        if match is None:
            return None
        try:
            return json.loads(self.expression)
        except ValueError:  # an HCL-only escape such as \U0001F600: the raw text is close enough
            return match.group(1)


@dataclass
class Block:
    type: str
    labels: tuple[str, ...]
    line: int
    end_line: int = 0
    attributes: list[Attribute] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)

    def blocks_of_type(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    # -- low-level scanning -------------------------------------------------------------------------
    def _peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def _advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.pos < len(self.text):
                if self.text[self.pos] == "\n":
                    self.line += 1
                self.pos += 1

    def _skip_comment(self) -> bool:
        char, following = self._peek(), self._peek(1)
        if char == "#" or (char == "/" and following == "/"):
            end = self.text.find("\n", self.pos)
            self.pos = len(self.text) if end == -1 else end  # the newline itself still ends the item
            return True
        if char == "/" and following == "*":
            end = self.text.find("*/", self.pos + 2)
            if end == -1:
                raise HCLSyntaxError(self.line, "unterminated /* comment")
            self._advance(end + 2 - self.pos)
            return True
        return False

    def _skip_blanks(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self._peek()
            if char in " \t\r" or (newlines and char == "\n"):
                self._advance()
            elif not self._skip_comment():
                return

    def _skip_string(self) -> None:
        """Skip a quoted template starting at `"`, including nested `${ ... }` with their own strings."""
        start_line = self.line
        self._advance()
        while True:
            char = self._peek()
            if char in ("", "\n"):  # quoted strings end on their line; only `${ }` may span lines
                raise HCLSyntaxError(start_line, "unterminated string")
            if char == "\\":
                self._advance(2)
            elif char == '"':
                self._advance()
                return
            elif char in "$%" and self._peek(1) == char and self._peek(2) == "{":
                self._advance(3)  # `$${` / `%%{` are escaped literals
            elif char in "$%" and self._peek(1) == "{":
                self._advance(2)
                self._skip_until_closing("}")
            else:
                self._advance()

    def _skip_heredoc(self) -> bool:
        match = _HEREDOC_START.match(self.text, self.pos)
        if match is None:
            return False
        start_line = self.line
        marker = match.group(2)
        self._advance(match.end() - self.pos)
        while self.pos < len(self.text):
            line_end = self.text.find("\n", self.pos)
            line_end = len(self.text) if line_end == -1 else line_end
            if self.text[self.pos : line_end].strip() == marker:
                self._advance(self.text.index(marker, self.pos) + len(marker) - self.pos)
                return True
            self._advance(line_end + 1 - self.pos)
        raise HCLSyntaxError(start_line, f"heredoc <<{marker} is never closed")

    def _skip_until_closing(self, closer: str) -> None:
        """Skip expression text up to and including `closer`, honouring nesting, strings and heredocs."""
        start_line = self.line
        stack = [closer]
        while stack:
            char = self._peek()
            if char == "":
                raise HCLSyntaxError(start_line, f"missing {stack[-1]!r}")
            if self._skip_comment():
                continue
            if char == '"':
                self._skip_string()
            elif char == "<" and self._peek(1) == "<" and self._skip_heredoc():
                continue
            elif char in _CLOSERS:
                stack.append(_CLOSERS[char])
                self._advance()
            elif char in ")]}":
                if char != stack[-1]:
                    raise HCLSyntaxError(self.line, f"unexpected {char!r}, expected {stack[-1]!r}")
                stack.pop()
                self._advance()
            else:
                self._advance()

    def _expression(self) -> str:
        """Read an attribute value: up to a newline (or the `}` of a one-line block) outside brackets."""
        start = self.pos
        start_line = self.line
        end = start
        while True:
            char = self._peek()
            if char in ("", "\n", "}"):
                break
            if self._skip_comment():
                continue
            if char == '"':
                self._skip_string()
            elif char == "<" and self._peek(1) == "<" and self._skip_heredoc():
                pass
            elif char in _CLOSERS:
                self._advance()
                self._skip_until_closing(_CLOSERS[char])
            elif char in ")]":
                raise HCLSyntaxError(self.line, f"unexpected {char!r}")
            else:
                self._advance()
            end = self.pos
        value = self.text[start:end].strip()
        if not value:
            raise HCLSyntaxError(start_line, "attribute has no value")
        return value

    # -- structure ----------------------------------------------------------------------------------
    def body(self, block: Block | None) -> tuple[list[Attribute], list[Block]]:
        attributes: list[Attribute] = []
        blocks: list[Block] = []
        while True:
            self._skip_blanks(newlines=True)
            char = self._peek()
            if char == "":
                if block is not None:
                    raise HCLSyntaxError(block.line, f"block {block.type!r} is never closed")
                return attributes, blocks
            if char == "}":
                if block is None:
                    raise HCLSyntaxError(self.line, "unexpected '}'")
                block.end_line = self.line
                self._advance()
                return attributes, blocks
            match = _IDENTIFIER.match(self.text, self.pos)
            if match is None:
                raise HCLSyntaxError(self.line, f"expected an attribute or block name, found {char!r}")
            name, line = match.group(0), self.line
            self._advance(match.end() - self.pos)
            self._skip_blanks(newlines=False)
            if self._peek() == "=" and self._peek(1) != "=":
                self._advance()
                self._skip_blanks(newlines=False)
                attributes.append(Attribute(name, line, self._expression()))
            else:
                blocks.append(self._block(name, line))
            self._end_of_item()

    def _block(self, block_type: str, line: int) -> Block:
        labels: list[str] = []
        while True:
            char = self._peek()
            if char == '"':
                start = self.pos
                self._skip_string()
                labels.append(self.text[start + 1 : self.pos - 1])
            elif (match := _IDENTIFIER.match(self.text, self.pos)) is not None:
                labels.append(match.group(0))
                self._advance(match.end() - self.pos)
            elif char == "{":
                self._advance()
                break
            else:
                raise HCLSyntaxError(self.line, f"expected a label or '{{' after {block_type!r}")
            self._skip_blanks(newlines=False)
        block = Block(block_type, tuple(labels), line)
        block.attributes, block.blocks = self.body(block)
        return block

    def _end_of_item(self) -> None:
        """After an attribute or block: a newline, a comment, or the `}` closing a one-line block."""
        self._skip_blanks(newlines=False)
        if self._peek() not in ("", "\n", "}"):
            raise HCLSyntaxError(self.line, f"unexpected {self._peek()!r} after an item; expected a newline")


def parse_hcl(text: str) -> Block:
    """Parse a configuration file into a root Block (type "") holding its top-level items."""
    root = Block("", (), 1)
    root.attributes, root.blocks = _Reader(text).body(None)
    root.end_line = text.count("\n") + 1
    return root


def parse_file(path: Path) -> Block:
    return parse_hcl(path.read_text(encoding="utf-8"))


def expression_code(expression: str) -> str:
    """The expression with literal text blanked out: the contents of quoted strings and heredocs (except
    their `${ ... }` / `%{ ... }` parts) and comments become spaces. Length and newlines are kept, so an
    offset in the result is an offset in the source; references found in it are real references."""
    out = list(expression)
    index = 0
    length = len(expression)
    # Each frame is ("code", brace depth) or ("string", terminator): terminator '"' or a heredoc marker.
    frames: list[list] = [["code", 0]]

    def blank(start: int, end: int) -> None:
        for position in range(start, end):
            if out[position] != "\n":
                out[position] = " "

    while index < length:
        char = expression[index]
        frame = frames[-1]
        if frame[0] == "string":
            if frame[1] == '"' and char == "\\":
                blank(index, index + 2)
                index += 2
            elif frame[1] == '"' and char == '"':
                frames.pop()
                index += 1
            elif char in "$%" and expression.startswith(char * 2 + "{", index):
                blank(index, index + 3)
                index += 3
            elif char in "$%" and expression.startswith("{", index + 1):
                frames.append(["code", 0])
                index += 2
            elif frame[1] != '"' and (index == 0 or expression[index - 1] == "\n"):
                line_end = expression.find("\n", index)
                line_end = length if line_end == -1 else line_end
                if expression[index:line_end].strip() == frame[1]:
                    frames.pop()
                    index = line_end
                else:
                    blank(index, index + 1)
                    index += 1
            else:
                blank(index, index + 1)
                index += 1
            continue
        heredoc = _HEREDOC_START.match(expression, index)
        if char == '"':
            frames.append(["string", '"'])
            index += 1
        elif heredoc is not None:
            frames.append(["string", heredoc.group(2)])
            index = heredoc.end()
        elif char == "#" or expression.startswith("//", index):
            end = expression.find("\n", index)
            end = length if end == -1 else end
            blank(index, end)
            index = end
        elif expression.startswith("/*", index):
            end = expression.find("*/", index + 2)
            end = length if end == -1 else end + 2
            blank(index, end)
            index = end
        elif char == "{":
            frame[1] += 1
            index += 1
        elif char == "}":
            if frame[1] == 0 and len(frames) > 1:
                frames.pop()  # end of a `${ ... }` interpolation: back inside the string
            else:
                frame[1] -= 1
            index += 1
        else:
            index += 1
    return "".join(out)
