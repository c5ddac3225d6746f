"""What every command shares: one-line errors, exit codes, date and scale options, corpus paths."""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from collections.abc import Callable
from typing import Any

import click

from forecastkit.errors import ForecastkitError, ValidationFailed

#: Exit codes: 1 for invalid data (validation failed, a report failed), 2 for usage errors.
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C

CORPUS_ARG = click.argument("path", required=False, type=click.Path(file_okay=True, dir_okay=True))


#: A quoted value longer than this is shortened in error messages (a 30,000-character argument
#: would otherwise be echoed whole).
#: A quoted value, paired from the left (a quote after a letter is an apostrophe, not an opening):
#: the text between two short quoted values is not itself a quoted value.
_QUOTED = re.compile(r"(?<![A-Za-z])'([^'\n]*)'")
_LONG_WORD = re.compile(r"(\S{60})\S{140,}")  # click quotes some values in (...), not '...'


def fail(message: str, code: int = EXIT_USAGE) -> None:
    """Print ``error: message`` to standard error and exit with ``code``."""
    message = _QUOTED.sub(lambda m: f"'{m[1][:60]}...'" if len(m[1]) >= 80 else m[0], message)
    message = _LONG_WORD.sub(lambda m: f"{m[1]}...", message)
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn forecastkit errors into one-line messages and an exit code (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            for e in exc.errors:
                click.echo(f"error: {e}", err=True)
            n_files = len({e.file for e in exc.errors})
            click.echo(
                f"{len(exc.errors)} error(s) in {n_files} file(s); nothing was written", err=True
            )
            sys.exit(EXIT_INVALID)
        except ForecastkitError as exc:
            fail(str(exc), EXIT_INVALID)
        except BrokenPipeError:  # `forecastkit export | head`
            sys.exit(0)
        finally:  # a cache written beside the command (records/cache.py) is whole when it ends
            cache = sys.modules.get("forecastkit.records.cache")
            if cache is not None:
                cache.wait()

    return wrapper


class DateType(click.ParamType):
    """A click parameter for dates: ISO ``YYYY-MM-DD`` (and plain-language dates where known)."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from forecastkit.records.dates import parse_user_date

        try:
            return parse_user_date(str(value))
        except ForecastkitError as exc:
            self.fail(exc.message + (f"; {exc.hint}" if exc.hint else ""), param, ctx)


DATE = DateType()

#: ``--policy`` of score and report: forecastkit.scoring.policies.POLICIES and DEFAULT_POLICY,
#: written out so that the CLI starts without numpy (tests/test_cli.py checks they agree).
DEFAULT_POLICY = "time-weighted"
POLICY_CHOICES = ("all", "last", "time-weighted")
PROJECT_DEFAULT = "forecastkit.toml's, else "


def _setting_problem(key: str, value: Any) -> str | None:
    """What is wrong with a ``[defaults]`` value of forecastkit.toml, or None."""
    if key == "policy" and value not in POLICY_CHOICES:
        return f"{value!r} is not one of {', '.join(POLICY_CHOICES)}"
    if key == "scale":
        from forecastkit.records.lexicon import get_scale

        try:
            get_scale(str(value))
        except ForecastkitError as exc:
            return exc.message
    return None


def project_default(key: str, fallback: str) -> Callable[[], str]:
    """A click default: ``key`` of the ``[defaults]`` of the project's ``forecastkit.toml``
    (docs/own-project.md), else ``fallback``. A bad value there is one line naming the file,
    its line and ``defaults.KEY`` (not click's "Invalid value for '--scale'", which the user
    never gave)."""

    def default() -> str:
        from forecastkit.records.paths import project_settings, setting_error

        try:
            value = project_settings().get(key)
        except ForecastkitError as exc:
            fail(str(exc), EXIT_INVALID)
        if value is None:
            return fallback
        problem = _setting_problem(key, value)
        if problem:
            fail(str(setting_error(key, problem)), EXIT_INVALID)
        return str(value)

    default.fallback = fallback  # type: ignore[attr-defined]
    return default


def policy_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--policy",
        type=click.Choice(POLICY_CHOICES),
        default=project_default("policy", DEFAULT_POLICY),
        show_default=PROJECT_DEFAULT + DEFAULT_POLICY,
        help="How a claimant's several forecasts on one question count (docs/scoring.md).",
    )(func)


POLICY_OPTION = policy_option


def scale_option(func: Callable[..., Any]) -> Callable[..., Any]:
    from forecastkit.records.lexicon import DEFAULT_SCALE

    return click.option(
        "--scale",
        default=project_default("scale", DEFAULT_SCALE),
        show_default=PROJECT_DEFAULT + DEFAULT_SCALE,
        metavar="NAME",
        callback=check_scale,
        help="Lexicon scale that reads hedges as probabilities (see `forecastkit lexicon`).",
    )(func)


def _freeze_at_exit() -> None:
    """At interpreter exit, move every object into the collector's permanent generation
    before Python finalises. Its last collections then skip what a command leaves alive (a
    corpus' tables: 0.2-0.3 s at exit after a PredictionBook load, 0.05 s frozen); objects are
    still freed by reference counting, and only cycles left at exit are not collected (the
    process' memory goes back to the system). Registered once, for the real process and for a
    test session alike (atexit runs only when the interpreter ends)."""
    import atexit
    import gc

    global _FROZEN_AT_EXIT
    if not _FROZEN_AT_EXIT:
        atexit.register(gc.freeze)
        _FROZEN_AT_EXIT = True


_FROZEN_AT_EXIT = False


class OneLineErrors(click.Group):
    """A click group whose usage errors are one line (``error: --scale: ...``), exit code 2."""

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        extra.pop("standalone_mode", None)
        _freeze_at_exit()
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.NoArgsIsHelpError as exc:  # `forecastkit add` alone: its help
            click.echo(exc.ctx.get_help(), err=True, color=exc.ctx.color)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            fail(exc.format_message().replace("\n", " ") + hint, exc.exit_code)
        except click.exceptions.Abort as exc:
            # Ctrl-C exits 130 as shells expect (128 + SIGINT); an answer refused at a prompt
            # (end of input) is 1. Writes are atomic, so an interrupted command wrote nothing.
            ctrl_c = isinstance(exc.__cause__, KeyboardInterrupt)
            fail(
                "interrupted; nothing was written" if ctrl_c else "aborted; nothing was written",
                EXIT_INTERRUPTED if ctrl_c else EXIT_INVALID,
            )
        sys.exit(result if isinstance(result, int) else 0)


def check_scale(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from forecastkit.records.lexicon import get_scale

    try:
        get_scale(value)
    except ForecastkitError as exc:
        raise click.BadParameter(exc.message + (f"; {exc.hint}" if exc.hint else "")) from None
    return value


CORPUS_OPTION = click.option(
    "--corpus",
    "corpus_path",
    type=click.Path(file_okay=False),
    default=None,
    metavar="DIR",
    help="The corpus folder (default: the nearest corpus at or above the working directory).",
)


def corpus_and(args: tuple[str, ...], corpus_path: str | None, what: str) -> tuple[str | None, str]:
    """``[PATH] X``: the corpus folder may come first (as for validate), or as --corpus DIR."""
    if len(args) == 1:
        return corpus_path, args[0]
    if len(args) == 2 and corpus_path is None:
        return args[0], args[1]
    if len(args) == 2:
        fail("give the corpus folder once: as the first argument or as --corpus")
    fail(f"expected [PATH] {what}, got {len(args)} arguments")
    return None, ""  # unreachable


def one_corpus(path: str | None, corpus_path: str | None) -> str | None:
    if path is not None and corpus_path is not None:
        fail("give the corpus folder once: as the first argument or as --corpus")
    return path if path is not None else corpus_path


def in_terminal() -> bool:
    """Whether a person types on standard input (then missing values are asked for); tests
    replace it to simulate a terminal, as CliRunner's input is never one."""
    return sys.stdin.isatty()


def missing_or_prompt(values: dict[str, Any], wanted: list[tuple[str, str, Any]]) -> None:
    """Fill missing values by asking (in a terminal) or stop with a one-line list of them."""
    missing = [(key, text, kind) for key, text, kind in wanted if values.get(key) in (None, "", ())]
    if not missing:
        return
    if not in_terminal():
        options = ", ".join("--" + key.replace("_", "-") for key, _, _ in missing)
        fail(f"missing {options} (nothing was written)")
    for key, text, kind in missing:
        values[key] = click.prompt(text, type=kind)
