"""`make fuzz`: the API and the crawler against hostile input, bounded in time.

- `fuzz.api`: schemathesis against the OpenAPI spec, 2,000 junk requests (server RSS
  must stay flat), and slow clients holding connections (others must still be served);
- `fuzz.hostile_site`: a loopback site of decompression bombs, slow drips, redirect
  tricks, malformed encodings and giant headers, crawled one page per `policyqa crawl`
  run (no traceback, no hang, peak RSS under the limit);
- `fuzz.imports`: hostile import files (no traceback; the good lines land).

`python -m fuzz.run` runs them all and exits non-zero on any failure.
"""
