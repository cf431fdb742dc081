"""Evaluation of the Q&A pipeline over question sets, in small stages.

- `questions`: question files (the independent dev set and the project's own sets) read
  into one `EvalQuestion` shape;
- `stories`: which article versions tell the same story (translations, shared slugs);
- `matching`: fact and `must_not_contain` matching, and citation checks;
- `split`: the one-time, story-level split of the dev set into tuning and report halves;
- `depth`: ranked story lists from the pipeline's retrieval and from plain dense search;
- `taxonomy`: one error category per question;
- `metrics`: per-question results summarised overall, per kind and per language;
- `report`: the plain-text and JSON reports.

`qa.evaluate.evaluate` runs them all over one question set.
"""
