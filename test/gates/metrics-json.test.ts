import { describe, expect, it } from "vitest";
import { parseMetricsBytes } from "../../src/gates/metrics-json.js";

const read = (text: string) => parseMetricsBytes(Buffer.from(text));

describe("metrics loader", () => {
  it("GIVEN bare NaN and Infinity where values stand THEN they are read as numbers", () => {
    expect(read('{"loss": NaN, "xs": [Infinity, -Infinity]}')).toEqual({
      value: { loss: NaN, xs: [Infinity, -Infinity] },
    });
    expect(read("NaN")).toEqual({ value: NaN });
  });

  it("GIVEN a token after a stray backslash in a broken string THEN the file is invalid, as Python says", () => {
    expect(read('"\\Infinity')).toEqual({ error: "is not valid JSON" });
    expect(read('["a\\", NaN]')).toEqual({ error: "is not valid JSON" });
    expect(read("{NaN: 1}")).toEqual({ error: "is not valid JSON" });
  });
});
