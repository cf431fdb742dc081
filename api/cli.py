"""The `policyqa` console script. Parses arguments, configures logging, converts errors
into exit codes and messages; the work itself lives in api/commands_*.py and below.

Exit codes: 0 success; 1 the command ran and failed; 2 bad usage or configuration
(a bad sources file, an unknown embedder, an index built with another embedder).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.settings import Settings, get_settings

if TYPE_CHECKING:
    from api.schemas import RawFilters

app = typer.Typer(
    name="policyqa",
    help="Multilingual semantic search and cited Q&A over Vietnamese provincial policy news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
articles_app = typer.Typer(help="Work with the article store.", no_args_is_help=True)
app.add_typer(articles_app, name="articles")
store_app = typer.Typer(help="Manage the article store's database.", no_args_is_help=True)
app.add_typer(store_app, name="store")
sources_app = typer.Typer(help="Inspect the crawl sources.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")

EXIT_FAILED = 1
EXIT_USAGE = 2

Province = Annotated[list[str] | None, typer.Option("--province", help="Province (any spelling).")]
Since = Annotated[str | None, typer.Option("--since", help="Published on or after (YYYY-MM-DD).")]
Until = Annotated[str | None, typer.Option("--until", help="Published on or before (YYYY-MM-DD).")]
Lang = Annotated[list[str] | None, typer.Option("--lang", help="Article language (ISO 639-1).")]
Site = Annotated[list[str] | None, typer.Option("--site", help="Site domain, e.g. baolamdong.vn.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _raw_filters(
    province: list[str] | None,
    since: str | None,
    until: str | None,
    lang: list[str] | None,
    site: list[str] | None,
) -> RawFilters:
    """Filters as the user typed them; qa/ resolves place names and dates."""
    return {
        "province": province or [],
        "since": since,
        "until": until,
        "lang": lang or [],
        "site": site or [],
    }


# Libraries that narrate their own start-up at INFO; their warnings still show.
_QUIET_LIBRARIES = (
    "faiss", "bm25s", "httpx", "httpcore", "sentence_transformers", "transformers",
    "urllib3", "filelock", "milvus_lite", "pymilvus", "langchain", "openai",
)  # fmt: skip


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if settings.log_level.upper() != "DEBUG":
        for name in _QUIET_LIBRARIES:
            logging.getLogger(name).setLevel(logging.WARNING)


def _run(command: Callable[..., int | None], *args: object, **kwargs: object) -> None:
    """Run a command function, turning known errors into a message and an exit code."""
    from api.errors import exit_code_for, message_for

    settings = get_settings()
    _configure_logging(settings)
    try:
        code = command(settings, *args, **kwargs)
    except KeyboardInterrupt:
        typer.echo("interrupted; everything already stored is kept", err=True)
        raise typer.Exit(130) from None
    except Exception as error:  # converted at the edge: message, never a traceback
        error_code = exit_code_for(error)
        if error_code is None:
            raise
        typer.echo(f"policyqa: {message_for(error)}", err=True)
        raise typer.Exit(error_code) from None
    raise typer.Exit(code or 0)


@app.command()
def crawl(
    sources: Annotated[Path | None, typer.Option(help="Sources file (TOML).")] = None,
    site: Annotated[list[str] | None, typer.Option("--site", help="Only this domain.")] = None,
    max_pages: Annotated[int | None, typer.Option(help="Stop after fetching N pages.")] = None,
    since: Annotated[str | None, typer.Option(help="Skip items older than this date.")] = None,
    proxy: Annotated[str | None, typer.Option(help="Proxy URL for all requests.")] = None,
) -> None:
    """Incremental, polite crawl into the article store."""
    from api import commands_crawl

    _run(
        commands_crawl.crawl,
        sources=sources,
        sites=site or [],
        max_pages=max_pages,
        since=since,
        proxy=proxy,
    )


@sources_app.command("check")
def sources_check(
    sources: Annotated[Path | None, typer.Option(help="Sources file (TOML).")] = None,
    site: Annotated[list[str] | None, typer.Option("--site", help="Only this domain.")] = None,
    json_out: Json = False,
    articles: Annotated[int, typer.Option(help="Articles to fetch and extract per site.")] = 3,
    proxy: Annotated[str | None, typer.Option(help="Proxy URL for all requests.")] = None,
) -> None:
    """Per site: robots.txt, sitemaps, feeds, article URLs, and a few articles extracted."""
    from api import commands_crawl

    _run(
        commands_crawl.check_sources_command,
        sources=sources,
        sites=site or [],
        as_json=json_out,
        max_articles=articles,
        proxy=proxy,
    )


@app.command("import")
def import_(path: Annotated[Path, typer.Argument(help="Articles as JSONL.")]) -> None:
    """Add pre-extracted articles (same dedupe and versioning as crawling)."""
    from api import commands_crawl

    _run(commands_crawl.import_articles, path=path)


@articles_app.command("export")
def articles_export(
    format: Annotated[str, typer.Option("--format", help="Output format.")] = "jsonl",
) -> None:
    """Every stored article as JSONL on stdout."""
    from api import commands_crawl

    _run(commands_crawl.export_articles, fmt=format)


@app.command()
def migrate() -> None:
    """Bring the article store's schema up to date (also done automatically on first use)."""
    from api import commands_store

    _run(commands_store.migrate)


@store_app.command("copy")
def store_copy(
    to: Annotated[
        str, typer.Option("--to", help="Target: a postgresql:// URL or an SQLite file path.")
    ],
) -> None:
    """Copy the whole article store into an empty database, then verify the copy."""
    from api import commands_store

    _run(commands_store.copy, to=to)


@app.command()
def index() -> None:
    """Bring the index up to date with the article store."""
    from api import commands_index

    _run(commands_index.build_index)


@app.command()
def models(
    profile: Annotated[str | None, typer.Option(help="Embedder profile to provision.")] = None,
) -> None:
    """Provision the embedding model's weights under $POLICYQA_HOME/models."""
    from api import commands_models

    _run(commands_models.provision_models, profile=profile)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in any language.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="Number of passages.")] = 10,
    json_: Json = False,
    province: Province = None,
    since: Since = None,
    until: Until = None,
    lang: Lang = None,
    site: Site = None,
) -> None:
    """Ranked passages."""
    from api import commands_qa

    _run(
        commands_qa.search,
        query=query,
        k=k,
        as_json=json_,
        raw_filters=_raw_filters(province, since, until, lang, site),
    )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in any language.")],
    json_: Json = False,
    province: Province = None,
    since: Since = None,
    until: Until = None,
    lang: Lang = None,
    site: Site = None,
) -> None:
    """The answer with citations (the same JSON as POST /ask)."""
    from api import commands_qa

    _run(
        commands_qa.ask,
        question=question,
        as_json=json_,
        raw_filters=_raw_filters(province, since, until, lang, site),
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes sharing the port and the index version.")
    ] = 1,
) -> None:
    """HTTP API and the staff web page."""
    from api import commands_serve

    _run(commands_serve.serve, host=host, port=port, workers=workers)


@app.command("eval")
def eval_(
    questions: Annotated[Path, typer.Option("--questions", help="Questions (JSONL).")],
    split: Annotated[
        str | None,
        typer.Option(help="Only this half of the dev set: tune or report."),
    ] = None,
    articles: Annotated[
        Path | None,
        typer.Option(
            help="The set's articles (JSONL), for which URLs are one story; default: "
            "articles.jsonl beside the questions, when there is one."
        ),
    ] = None,
    save_json: Annotated[
        Path | None, typer.Option(help="Also write the JSON report to this file.")
    ] = None,
    fit_refusal: Annotated[
        bool,
        typer.Option(
            "--fit-refusal",
            help="Instead of measuring, fit the refusal model of the index's embedder "
            "profile on these questions (use the tuning half) and write it.",
        ),
    ] = False,
    refusal_out: Annotated[
        Path | None,
        typer.Option(help="Where --fit-refusal writes; default: the models shipped with the code."),
    ] = None,
    with_examples: Annotated[
        list[Path] | None,
        typer.Option(
            help="--fit-refusal also fits on these examples, saved by an earlier "
            "--fit-refusal --save-json on another set (repeatable)."
        ),
    ] = None,
    json_: Json = False,
) -> None:
    """Answer, citation, refusal and retrieval metrics over a question set, with the plain
    dense baseline and an error category per question."""
    from api import commands_qa

    _run(
        commands_qa.evaluate,
        questions_path=questions,
        as_json=json_,
        half=split,
        articles_path=articles,
        save_json=save_json,
        fit_refusal=fit_refusal,
        refusal_out=refusal_out,
        more_examples=with_examples or [],
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
