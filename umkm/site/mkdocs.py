"""The docs folder in (generated and hand-written pages of both languages); the built site out, strictly checked.

``mkdocs_build`` builds the Indonesian site into site_dir and the English one into site_dir/en,
side by side (``EnglishBuild`` forks the English build), each strict: a MkDocs warning, a
configuration error or a broken local link is a ``SiteBuildError``.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from umkm.site.context import contact_email, site_address
from umkm.site.render import bytecode_cache
from umkm.vocabulary import LICENCE, PUBLISHER_SHORT


def mkdocs_build(
    config_file: Path,
    docs_dir: Path,
    site_dir: Path,
    *,
    synthetic: bool,
    site_url: str | None = None,
    template_cache: Path | None = None,
    english: "EnglishBuild | None" = None,
) -> None:
    """Build the Indonesian site into site_dir and the English one into site_dir/en (strict).

    The English configuration is the file beside ``config_file`` named <stem>.en.yml
    (INHERIT of the Indonesian one). Raises on any MkDocs warning or broken local link.
    ``site_url`` (default: ``site_address()``) gives the canonical links and the sitemap, and
    the absolute paths of 404.html, the one page a host serves at any address: it must name
    the folder the site is published under (e.g. /data-umkm/), or 404.html loses its styles.
    ``template_cache``: a folder that keeps the theme's compiled Jinja templates between builds
    (the output is the same with or without it; only the compiling is saved).
    ``english``: the English build already started by ``EnglishBuild`` (else it starts here).
    """
    config_file, docs_dir, site_dir = Path(config_file), Path(docs_dir), Path(site_dir)
    address = site_address(site_url)
    if english is None and english_config(config_file).exists():
        english = EnglishBuild(
            config_file, docs_dir, site_dir, synthetic=synthetic, site_url=address, template_cache=template_cache
        )
    try:
        build_language(config_file, docs_dir, site_dir, address, synthetic, template_cache)
    finally:
        if english is not None:
            english.wait()
    if english is not None:
        english.move_in()
    broken = broken_links(site_dir)
    if broken:
        raise SiteBuildError("broken local links in the built site:\n  " + "\n  ".join(broken[:50]))


def english_config(config_file: Path) -> Path:
    return Path(config_file).with_name(f"{Path(config_file).stem}.en{Path(config_file).suffix}")


class EnglishBuild:
    """The English MkDocs build (``before()`` first: e.g. writing the English pages), in a forked process.

    The two languages are independent builds: the English one runs beside the Indonesian one,
    into a folder of its own that ``move_in`` puts at site_dir/en (the Indonesian build empties
    site_dir). MkDocs is already imported in the forked process.
    """

    def __init__(
        self,
        config_file: Path,
        docs_dir: Path,
        site_dir: Path,
        *,
        synthetic: bool,
        site_url: str | None = None,
        template_cache: Path | None = None,
        before=None,
    ):
        self.site_dir = Path(site_dir)
        self.en_site = self.site_dir.with_name(f".{self.site_dir.name}-en")
        shutil.rmtree(self.en_site, ignore_errors=True)
        self.error: str | None = None
        self.process = Forked(
            self._run,
            before,
            english_config(config_file),
            Path(docs_dir) / "en",
            self.en_site,
            site_address(site_url) + "en/",
            synthetic,
            template_cache,
        )
        self.waited = False

    @staticmethod
    def _run(before, *arguments) -> None:
        if before is not None:
            before()
        build_language(*arguments)

    def wait(self) -> None:
        if not self.waited:
            self.error, self.waited = self.process.wait(), True
            if self.error is not None:
                shutil.rmtree(self.en_site, ignore_errors=True)

    def move_in(self) -> None:
        self.wait()
        if self.error is not None:
            raise SiteBuildError(self.error)
        self.en_site.rename(self.site_dir / "en")


class Forked:
    """``function(*arguments)`` in a forked child process; ``wait()`` gives None or its error, on one line."""

    def __init__(self, function, *arguments):
        import gc
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, args=(send, function, arguments), daemon=True)
        # The child's garbage collector must not finalise the parent's objects: some (a DuckDB
        # connection, a thread pool) crash the child when freed without the threads they had.
        gc.freeze()
        try:
            self.process.start()
        finally:
            gc.unfreeze()
        send.close()

    @staticmethod
    def _run(send, function, arguments) -> None:
        try:
            function(*arguments)
        except OSError as error:  # a failure of the machine (full disk...): raised again in the parent as it was
            send.send(("OSError", error.errno, error.strerror, error.filename))
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent as text
            send.send(" ".join(str(error).split()) or type(error).__name__)
        else:
            send.send(None)

    def wait(self) -> str | None:
        try:
            error, told = self.receive.recv(), True
        except EOFError:  # the child died without a word (killed, out of memory)
            error, told = None, False
        self.process.join()
        self.receive.close()
        if isinstance(error, tuple):
            raise OSError(*error[1:])
        if error is None and (not told or self.process.exitcode != 0):
            error = f"the forked build process ended without a result (exit {self.process.exitcode})"
        return error


def build_language(
    config_file: Path,
    docs_dir: Path,
    site_dir: Path,
    site_url: str,
    synthetic: bool,
    template_cache: Path | None = None,
) -> None:
    """One strict MkDocs build (one language), then the theme assets no page loads are pruned."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError, ConfigurationError

    warnings = _WarningLog()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        config = load_config(
            config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True, site_url=site_url
        )
        config.extra["synthetic"] = bool(synthetic)
        config["site_author"] = PUBLISHER_SHORT  # umkm/vocabulary.py: the footer and <meta name="author">
        config["copyright"] = (
            f"{PUBLISHER_SHORT}. Data berlisensi {LICENCE.short_title}."
            if config["theme"].get("language", "id") == "id"
            else f"{PUBLISHER_SHORT}. Data licensed {LICENCE.short_title}."
        )
        config.extra["contact_email"] = contact_email()
        config["nav"] = nav_with_pages(config["nav"], docs_dir)
        if template_cache is not None:
            config.plugins["umkm-template-cache"] = _template_cache_plugin(template_cache)
        with _static_files_linked(docs_dir):
            build(config)
        prune_theme_assets(site_dir, _search_languages(config))
    except (Abort, ConfigurationError, BuildError) as error:  # Abort is a SystemExit: make it an error
        raise SiteBuildError(
            f"mkdocs build of {config_file.name} failed: {error}\n  " + "\n  ".join(warnings.lines)
        ) from error
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)


@contextmanager
def _static_files_linked(docs_dir: Path):
    """While MkDocs builds, a static file of ``docs_dir`` (a download, a chart, a CSV) is hard-linked
    into the site instead of copied: the same bytes without a new file (on some disks creating
    one costs many times more than a link). docs_dir is the build's own staging copy, never changed
    in place afterwards; the theme's files are still copied.
    """
    from mkdocs import utils

    copy_file = utils.copy_file
    root = os.path.realpath(docs_dir) + os.sep

    def link_file(source_path: str, output_path: str) -> None:
        if not os.path.realpath(source_path).startswith(root) or os.path.isdir(output_path):
            return copy_file(source_path, output_path)
        os.makedirs(os.path.dirname(output_path), exist_ok=True)
        try:
            os.link(source_path, output_path)
        except OSError:  # already there, or no hard links on this file system
            copy_file(source_path, output_path)

    utils.copy_file = link_file
    try:
        yield
    finally:
        utils.copy_file = copy_file


def _template_cache_plugin(folder: Path):
    """An MkDocs plugin that keeps the theme's compiled templates in ``folder`` (Jinja checks each
    against its source, so a changed template is compiled again)."""
    from mkdocs.plugins import BasePlugin

    class TemplateCache(BasePlugin):
        def on_env(self, env, config, files):
            env.bytecode_cache = bytecode_cache(folder)
            return env

    return TemplateCache()


def nav_with_pages(nav, docs_dir: Path):
    """The menu without the entries whose Markdown page is not in docs_dir (and without sections left empty).

    Optional pages (the disclosure-risk package, the changelog) are named in the configuration once
    and shown when a build produces them; a nav entry without its page would fail the strict build.
    """
    if nav is None:
        return None
    kept = []
    for item in nav:
        if isinstance(item, dict):
            ((title, target),) = item.items()
            if isinstance(target, list):
                target = nav_with_pages(target, docs_dir)
                if target:
                    kept.append({title: target})
            elif not _missing_page(target, docs_dir):
                kept.append(item)
        elif not _missing_page(item, docs_dir):
            kept.append(item)
    return kept


def _missing_page(target: object, docs_dir: Path) -> bool:
    if not isinstance(target, str) or re.match(r"^[a-z][a-z0-9+.-]*:", target) or not target.endswith(".md"):
        return False  # an outside link or not a page: kept as written
    return not (Path(docs_dir) / target).is_file()


def _search_languages(config) -> list[str]:
    search = config.plugins.get("search") if hasattr(config.plugins, "get") else None
    langs = getattr(search, "config", {}).get("lang") if search is not None else None
    return list(langs) if isinstance(langs, (list, tuple)) else [langs or "en"]


def prune_theme_assets(site_dir: Path, search_languages: list[str]) -> list[Path]:
    """Delete what the theme copies but no page loads: source maps and other languages' search files.

    The browser fetches a .map file only while its developer tools are open, and the search
    worker loads lunr/min/lunr.<lang>.min.js (plus tinyseg.js or wordcut.js) only for the
    languages the search plugin names; the rest is about 2 MB a language site.
    """
    javascripts = Path(site_dir) / "assets" / "javascripts"
    removed = [p for p in (Path(site_dir) / "assets").rglob("*.map") if p.is_file()]
    langs = [lang for lang in search_languages if lang != "en"]
    keep = set()
    if langs:
        keep = {"min/lunr.stemmer.support.min.js", *(f"min/lunr.{lang}.min.js" for lang in langs)}
        keep |= {"min/lunr.multi.min.js"} if len(search_languages) > 1 else set()
        keep |= {"tinyseg.js"} if "ja" in langs else set()
        keep |= {"wordcut.js"} if {"hi", "th"} & set(langs) else set()
    lunr = javascripts / "lunr"
    if lunr.is_dir():
        removed += [p for p in lunr.rglob("*") if p.is_file() and p.relative_to(lunr).as_posix() not in keep]
    for path in removed:
        path.unlink()
    return removed


class SiteBuildError(RuntimeError):
    """The MkDocs build failed (a strict-mode warning, a configuration error) or left a broken link."""


class _WarningLog(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')


def broken_links(site_dir: Path) -> list[str]:
    """Relative href/src in the built HTML that point at no file (MkDocs does not check raw HTML)."""
    root = os.path.abspath(site_dir)
    files, folders = set(), set()
    for folder, _, names in os.walk(root):
        folders.add(folder)
        files.update(os.path.join(folder, name) for name in names)
    broken = []
    for page in sorted((p for p in files if p.endswith(".html")), key=lambda p: Path(p).parts):
        with open(page, encoding="utf-8") as stream:
            links = set(_LINK.findall(stream.read()))
        for raw in sorted(links):
            target = re.split(r"[#?]", html.unescape(raw), maxsplit=1)[0]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
                continue
            path = os.path.normpath(os.path.join(os.path.dirname(page), target))
            if target.endswith("/") or path in folders:
                path = os.path.join(path, "index.html")
            if path not in files:  # a missing file, or one above the root (that breaks under a sub-path)
                broken.append(f"{Path(page).relative_to(root).as_posix()} -> {target}")
    return broken
