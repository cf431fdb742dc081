"""Facts every layer relies on, each defined once.

The package sits below the one-way layering (crawler -> index -> qa -> api): any layer,
the demo sites and the benchmarks may import it, and it imports nothing of the project.
One module per fact: `vietnam_time` (the time zone of every date the sources print),
`provinces` (the date the merged provinces took effect), `limits` (the longest question
anyone may ask), `doc_numbers` (official document numbers), `folding` (the named ways of
comparing spellings).
"""
