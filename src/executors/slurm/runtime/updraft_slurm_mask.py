"""Masking secret values in a job's output, by the rules of `updraft run` and the Airflow export:
every secret the plan names is masked in every stage's log (a stage may print another stage's), a
value split across reads or lines is still caught, and secrets that overlap become one mask."""

MASK = b"***"


def mask_bytes(data, secrets):
    """Every occurrence found in the original bytes; overlapping ones become one mask."""
    spans = []
    for secret in secrets:
        at = data.find(secret)
        while at != -1:
            spans.append((at, at + len(secret)))
            at = data.find(secret, at + 1)
    if not spans:
        return data
    spans.sort(key=lambda span: (span[0], -span[1]))
    out, done = [], 0
    start, end = spans[0]
    for s, e in spans[1:]:
        if s < end:
            end = max(end, e)
        else:
            out += [data[done:start], MASK]
            done, start, end = end, s, e
    out += [data[done:start], MASK, data[end:]]
    return b"".join(out)


class Masker:
    """Feed chunks with push(), then end() once; each returns the bytes that are safe to write."""

    def __init__(self, values):
        self.secrets = sorted({v for v in values if v}, key=len, reverse=True)
        self.keep = max([len(s) - 1 for s in self.secrets] + [0])
        self.held = b""

    def push(self, chunk):
        if not self.secrets:
            return chunk
        text = self.held + chunk
        cut = max(0, len(text) - self.keep)
        moved = True
        while moved:  # never cut through an occurrence: hold it back whole until it can be masked
            moved = False
            for secret in self.secrets:
                at = text.find(secret, max(0, cut - len(secret) + 1))
                if at != -1 and at < cut:
                    cut, moved = at, True
        self.held = text[cut:]
        return mask_bytes(text[:cut], self.secrets)

    def end(self):
        rest, self.held = self.held, b""
        return mask_bytes(rest, self.secrets)
